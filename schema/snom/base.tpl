{{! <MAC>.xml: one phone's settings, with its secrets (syntax from the Snom
    wiki's "<phone-settings> tag", names from wazo-provd-plugins'
    wazo_snom/common templates; identities use idx = line).  Function keys:
    <fkey idx> counts from 0, so it is index0 (key - 1); the value is the
    maps.key_type word then the number (wazo-provd-plugins,
    wazo_snom/common/common.py).  user_outbound is the account's outbound
    proxy when it has one, else its server (Tancredi's snom.tmpl).  Blocks
    a local template can replace:
    identities, keys, extra. }}
<?xml version="1.0" encoding="utf-8"?>
<settings>
  <phone-settings>
{{>settings}}
{{$identities}}
{{#accounts}}
    <user_active idx="{{line}}" perm="R">{{#enabled}}on{{/enabled}}{{^enabled}}off{{/enabled}}</user_active>
{{#display_name}}
    <user_realname idx="{{line}}" perm="R">{{display_name}}</user_realname>
{{/display_name}}
{{#label}}
    <user_idle_text idx="{{line}}" perm="R">{{label}}</user_idle_text>
{{/label}}
{{#user}}
    <user_name idx="{{line}}" perm="R">{{user}}</user_name>
{{/user}}
{{#auth_user}}
    <user_pname idx="{{line}}" perm="R">{{auth_user}}</user_pname>
{{/auth_user}}
{{#password}}
    <user_pass idx="{{line}}" perm="R">{{password}}</user_pass>
{{/password}}
{{#server.host}}
    <user_host idx="{{line}}" perm="R">{{server.host}}</user_host>
{{#outbound_proxy.host}}
    <user_outbound idx="{{line}}" perm="R">{{outbound_proxy.host}}:{{outbound_proxy.port}}{{#server.transport_code}};transport={{server.transport_code}}{{/server.transport_code}}</user_outbound>
{{/outbound_proxy.host}}
{{^outbound_proxy.host}}
    <user_outbound idx="{{line}}" perm="R">{{server.host}}:{{server.port}}{{#server.transport_code}};transport={{server.transport_code}}{{/server.transport_code}}</user_outbound>
{{/outbound_proxy.host}}
{{/server.host}}
{{#voicemail}}
    <user_mailbox idx="{{line}}" perm="R">{{voicemail}}</user_mailbox>
{{/voicemail}}
{{/accounts}}
{{/identities}}
{{$extra}}
{{/extra}}
{{#params}}
    <{{name}} perm="R">{{value}}</{{name}}>
{{/params}}
  </phone-settings>
  <functionKeys>
{{$keys}}
{{#line_keys}}
{{#type_code}}
    <fkey idx="{{index0}}" context="{{line}}"{{#label}} label="{{label}}"{{/label}} perm="R">{{type_code}}{{#value}} {{value}}{{/value}}</fkey>
{{/type_code}}
{{/line_keys}}
{{/keys}}
  </functionKeys>
</settings>
