{{! cfg<mac>.xml: one phone's P-values, with its secrets (syntax version 1
    of the Grandstream XML provisioning guide; P-value names from
    wazo-provd-plugins' wazo_grandstream/common templates and GS3; see
    docs/sources.md).  Accounts take their P-value names from maps.line
    (line_map), keys from maps.key (key_map) and the account of their line
    (line_map).  Only dotted names open sections on those maps: opening
    line_map itself would hide the account's own user, password and
    voicemail behind the map's keys of the same names.  <mac> makes the
    phone check the file is its own.  Blocks a local template can replace:
    accounts, keys, extra.  A model with `format: grp` (GRP26xx) gets
    grp.tpl instead: <config version="2">, where its keys are. }}
{{#model_info.format}}
{{>*model_info.format}}
{{/model_info.format}}
{{^model_info.format}}
<?xml version="1.0" encoding="UTF-8"?>
<gs_provision version="1">
  <mac>{{phone.mac}}</mac>
  <config version="1">
{{>provisioning}}
{{#admin_password}}
    <P2>{{admin_password}}</P2>
{{/admin_password}}
{{#user_password}}
    <P196>{{user_password}}</P196>
{{/user_password}}
{{#ntp_primary}}
    <P30>{{ntp_primary}}</P30>
{{/ntp_primary}}
{{#timezone}}
    <P64>{{posix}}</P64>
{{/timezone}}
{{#language_name}}
    <P1362>{{language_name}}</P1362>
{{/language_name}}
{{$accounts}}
{{#accounts}}
{{#line_map.enable}}
    <{{line_map.enable}}>{{#enabled}}1{{/enabled}}{{^enabled}}0{{/enabled}}</{{line_map.enable}}>
{{#server.host}}
    <{{line_map.server}}>{{server.host}}:{{server.port}}</{{line_map.server}}>
{{/server.host}}
{{#server.transport_code}}
    <{{line_map.transport}}>{{server.transport_code}}</{{line_map.transport}}>
{{/server.transport_code}}
{{#outbound_proxy.host}}
    <{{line_map.proxy}}>{{outbound_proxy.host}}:{{outbound_proxy.port}}</{{line_map.proxy}}>
{{/outbound_proxy.host}}
{{#user}}
    <{{line_map.user}}>{{user}}</{{line_map.user}}>
{{/user}}
{{#auth_user}}
    <{{line_map.auth}}>{{auth_user}}</{{line_map.auth}}>
{{/auth_user}}
{{#password}}
    <{{line_map.password}}>{{password}}</{{line_map.password}}>
{{/password}}
{{#display_name}}
    <{{line_map.display}}>{{display_name}}</{{line_map.display}}>
{{/display_name}}
{{#label}}
    <{{line_map.name}}>{{label}}</{{line_map.name}}>
{{/label}}
{{#voicemail}}
    <{{line_map.voicemail}}>{{voicemail}}</{{line_map.voicemail}}>
{{/voicemail}}
{{/line_map.enable}}
{{/accounts}}
{{/accounts}}
{{$keys}}
{{#line_keys}}
{{#key_map.mode}}
{{#type_code}}
    <{{key_map.mode}}>{{type_code}}</{{key_map.mode}}>
{{#line_map.account}}
    <{{key_map.account}}>{{line_map.account}}</{{key_map.account}}>
{{/line_map.account}}
{{#label}}
    <{{key_map.name}}>{{label}}</{{key_map.name}}>
{{/label}}
{{#value}}
    <{{key_map.value}}>{{value}}</{{key_map.value}}>
{{/value}}
{{/type_code}}
{{/key_map.mode}}
{{/line_keys}}
{{/keys}}
{{! --- directory (issue 15, i15-dir) --- }}
{{#directory_url}}
    <P330>{{#directory_https}}3{{/directory_https}}{{^directory_https}}1{{/directory_https}}</P330>
    <P331>{{directory_path}}</P331>
    <P332>720</P332>
{{/directory_url}}
{{! --- end directory --- }}
{{$extra}}
{{/extra}}
{{#params}}
    <{{name}}>{{value}}</{{name}}>
{{/params}}
  </config>
</gs_provision>
{{/model_info.format}}
