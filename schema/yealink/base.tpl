{{! <mac>.cfg: one phone's configuration, with its secrets (syntax from the
    Yealink admin guide and wazo-provd-plugins' wazo_yealink/v87
    templates/base.tpl, which also gives the names; docs/sources.md; the
    outbound proxy's names are Tancredi's yealink.tmpl).  A
    model template may replace the blocks named accounts, keys and extra:
    see CP920.tpl. }}
#!version:1.0.0.1
# deskprov: {{phone.id}} ({{model}}, {{phone.mac_colons}})
{{>settings}}
{{$accounts}}
{{#accounts}}
account.{{line}}.enable = {{#enabled}}1{{/enabled}}{{^enabled}}0{{/enabled}}
{{#label}}
account.{{line}}.label = {{label}}
{{/label}}
{{#display_name}}
account.{{line}}.display_name = {{display_name}}
{{/display_name}}
{{#user}}
account.{{line}}.user_name = {{user}}
{{/user}}
{{#auth_user}}
account.{{line}}.auth_name = {{auth_user}}
{{/auth_user}}
{{#password}}
account.{{line}}.password = {{password}}
{{/password}}
{{#server.host}}
account.{{line}}.sip_server.1.address = {{server.host}}
account.{{line}}.sip_server.1.port = {{server.port}}
{{/server.host}}
{{#server.transport_code}}
account.{{line}}.sip_server.1.transport_type = {{server.transport_code}}
{{/server.transport_code}}
{{#outbound_proxy.host}}
account.{{line}}.outbound_proxy_enable = 1
account.{{line}}.outbound_proxy.1.address = {{outbound_proxy.host}}
account.{{line}}.outbound_proxy.1.port = {{outbound_proxy.port}}
{{/outbound_proxy.host}}
{{#voicemail}}
voice_mail.number.{{line}} = {{voicemail}}
{{/voicemail}}
{{/accounts}}
{{/accounts}}
{{$keys}}
{{#line_keys}}
{{#type_code}}
linekey.{{key}}.type = {{type_code}}
linekey.{{key}}.line = {{line}}
{{/type_code}}
{{#value}}
linekey.{{key}}.value = {{value}}
{{/value}}
{{#label}}
linekey.{{key}}.label = {{label}}
{{/label}}
{{/line_keys}}
{{/keys}}
{{! --- directory (issue 15, i15-dir) --- }}
{{#directory_url}}
remote_phonebook.data.1.url = {{directory_url}}
remote_phonebook.data.1.name = Directory
{{/directory_url}}
{{! --- end directory --- }}
{{$extra}}
{{/extra}}
{{#params}}
{{name}} = {{value}}
{{/params}}
