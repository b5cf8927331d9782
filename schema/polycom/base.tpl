{{! <mac>-user.cfg: one phone's configuration, first in CONFIG_FILES.
    Attributes named as in wazo-provd-plugins' wazo_polycom
    common/templates/base.tpl (docs/sources.md): reg.N.* per line,
    msg.mwi.N.* for the voice mail number, device.* only with device.set="1"
    and their own .set="1".  Line keys: flexible line key assignment, one
    partial per key type (line, blf, speed_dial).  Blocks a model template
    may replace: accounts, keys.  The outbound proxy: reg.N.outboundProxy.*
    of Polycom's own phone1.cfg, as wazo-provd-plugins ships it
    (wazo_polycom/v3_2_4B/var/tftpboot/phone1.cfg). }}
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<polycomConfig>
{{>settings}}
{{$accounts}}
{{#accounts}}
<reg
 reg.{{line}}.server.1.register="{{#enabled}}1{{/enabled}}{{^enabled}}0{{/enabled}}"
{{#user}}
 reg.{{line}}.address="{{user}}"
{{/user}}
{{#display_name}}
 reg.{{line}}.displayName="{{display_name}}"
{{/display_name}}
{{#label}}
 reg.{{line}}.label="{{label}}"
{{/label}}
{{#auth_user}}
 reg.{{line}}.auth.userId="{{auth_user}}"
{{/auth_user}}
{{#password}}
 reg.{{line}}.auth.password="{{password}}"
{{/password}}
{{#server.host}}
 reg.{{line}}.server.1.address="{{server.host}}"
 reg.{{line}}.server.1.port="{{server.port}}"
{{/server.host}}
{{#server.transport_code}}
 reg.{{line}}.server.1.transport="{{server.transport_code}}"
{{/server.transport_code}}
{{#outbound_proxy.host}}
 reg.{{line}}.outboundProxy.address="{{outbound_proxy.host}}"
 reg.{{line}}.outboundProxy.port="{{outbound_proxy.port}}"
{{/outbound_proxy.host}}
/>
{{#voicemail}}
<msg msg.mwi.{{line}}.callBackMode="contact" msg.mwi.{{line}}.callBack="{{voicemail}}"/>
{{/voicemail}}
{{/accounts}}
{{/accounts}}
{{$keys}}
{{#line_keys}}
{{>*type}}
{{/line_keys}}
{{/keys}}
{{#admin_password}}
<device device.set="1" device.auth.localAdminPassword.set="1" device.auth.localAdminPassword="{{admin_password}}"/>
{{/admin_password}}
{{#user_password}}
<device device.set="1" device.auth.localUserPassword.set="1" device.auth.localUserPassword="{{user_password}}"/>
{{/user_password}}
{{>params}}
</polycomConfig>
