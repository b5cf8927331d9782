{{! <MAC>.cfg: one phone's configuration, with its secrets, read last
    (administrator guide, "Configuration File Precedence").  Syntax: one
    "key: value" per line, # starts a comment; values are written bare, as
    wazo-provd-plugins' wazo_aastra base.tpl writes them (the guide gives
    no escape; a value is one line, which deskprov checks).  Per line:
    sip line<N> ... (base.tpl); an account that is not enabled is left out,
    the phone has no switch for it.  The transport and the outbound proxy
    are the phone's, not a line's: taken from the first account (sip
    transport protocol: wazo_aastra; sip outbound proxy / port: SARK's
    Aastra template).  Keys: <key_name> type / value / label / line, the
    key name from the catalogue's key_layout (wazo_aastra _add_fkeys).
    Blocks a local template can replace: accounts, keys, extra. }}
# deskprov: {{phone.id}} ({{model}}, {{phone.mac_colons}})
{{>settings}}
{{#admin_password}}
admin password: {{admin_password}}
{{/admin_password}}
{{#user_password}}
user password: {{user_password}}
{{/user_password}}
{{$accounts}}
{{#accounts}}
{{#first}}
{{#server.transport_code}}
sip transport protocol: {{server.transport_code}}
{{/server.transport_code}}
{{#outbound_proxy.host}}
sip outbound proxy: {{outbound_proxy.host}}
sip outbound proxy port: {{outbound_proxy.port}}
{{/outbound_proxy.host}}
{{/first}}
{{#enabled}}
{{#server.host}}
sip line{{line}} proxy ip: {{server.host}}
sip line{{line}} proxy port: {{server.port}}
sip line{{line}} registrar ip: {{server.host}}
sip line{{line}} registrar port: {{server.port}}
{{/server.host}}
{{#user}}
sip line{{line}} user name: {{user}}
{{/user}}
{{#auth_user}}
sip line{{line}} auth name: {{auth_user}}
{{/auth_user}}
{{#password}}
sip line{{line}} password: {{password}}
{{/password}}
{{#display_name}}
sip line{{line}} display name: {{display_name}}
sip line{{line}} screen name: {{display_name}}
{{/display_name}}
{{#label}}
sip line{{line}} screen name 2: {{label}}
{{/label}}
{{#voicemail}}
sip line{{line}} vmail: {{voicemail}}
{{/voicemail}}
{{/enabled}}
{{/accounts}}
{{/accounts}}
{{$keys}}
{{#line_keys}}
{{#key_name}}
{{#type_code}}
{{key_name}} type: {{type_code}}
{{#value}}
{{key_name}} value: {{value}}
{{/value}}
{{#label}}
{{key_name}} label: {{label}}
{{/label}}
{{key_name}} line: {{line}}
{{/type_code}}
{{/key_name}}
{{/line_keys}}
{{/keys}}
{{$extra}}
{{/extra}}
{{#params}}
{{name}}: {{value}}
{{/params}}
