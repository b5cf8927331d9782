{{! Maxwell desk phones: <provisioning> with <nvm><param name value/>
    (format and parameter names from Tancredi's gigaset-Maxwell.tmpl; see
    docs/sources.md).  Accounts are SIP.Account.<line - 1>; function keys
    are numbered from 0 by the key's place in line_keys (index0).  TimeZone
    is GMT<offset>.<zone>, e.g. GMT+1.Europe/Rome; a zone the phone does not
    list needs System.DateAndTime.TimeZone in params.  Raw params come last,
    so they override the mapped ones.  The outbound proxy: Tancredi's
    OutboundProxy.Mode 1, Address, Port. }}
<provisioning version="1.1">
{{#firmware.offer}}
{{#firmware.url}}
  <firmware>
    <file version="{{firmware.version}}" url="{{firmware.url}}"/>
  </firmware>
{{/firmware.url}}
{{/firmware.offer}}
  <nvm>
{{#admin_password}}
    <param name="WebUI.AdminPassword" value="{{admin_password}}"/>
{{/admin_password}}
{{#user_password}}
    <param name="WebUI.UserPassword" value="{{user_password}}"/>
{{/user_password}}
{{#provisioning.url}}
    <param name="System.Provision.ProvisioningServer" value="{{provisioning.url}}"/>
{{/provisioning.url}}
{{#ntp_primary}}
    <param name="System.DateAndTime.AutoAdjustTime" value="NTPServiceEnabled"/>
    <param name="System.DateAndTime.TimeServer" value="{{ntp_primary}}"/>
{{/ntp_primary}}
{{#timezone}}
    <param name="System.DateAndTime.TimeZone" value="GMT{{offset_hours}}.{{name}}"/>
{{#dst}}
    <param name="System.DateAndTime.AutoAdjustClockForDST" value="AutomatedDaylightSavingEnabled"/>
{{/dst}}
{{/timezone}}
{{#language_name}}
    <param name="PhoneUI.Settings.Language" value="{{language_name}}"/>
    <param name="WebUI.Language" value="{{language_name}}"/>
{{/language_name}}
{{#accounts}}
    <param name="SIP.Account.{{line_map.index}}.Active" value="{{#enabled}}1{{/enabled}}{{^enabled}}0{{/enabled}}"/>
{{#label}}
    <param name="SIP.Account.{{line_map.index}}.AccountName" value="{{label}}"/>
{{/label}}
{{#display_name}}
    <param name="SIP.Account.{{line_map.index}}.DisplayName" value="{{display_name}}"/>
{{/display_name}}
{{#user}}
    <param name="SIP.Account.{{line_map.index}}.Username" value="{{user}}"/>
{{/user}}
{{#auth_user}}
    <param name="SIP.Account.{{line_map.index}}.AuthName" value="{{auth_user}}"/>
{{/auth_user}}
{{#password}}
    <param name="SIP.Account.{{line_map.index}}.AuthPassword" value="{{password}}"/>
{{/password}}
{{#server.host}}
    <param name="SIP.Account.{{line_map.index}}.Domain" value="{{server.host}}"/>
    <param name="SIP.Account.{{line_map.index}}.RegistrationServer.Address" value="{{server.host}}"/>
    <param name="SIP.Account.{{line_map.index}}.RegistrationServer.Port" value="{{server.port}}"/>
    <param name="SIP.Account.{{line_map.index}}.ProxyServer.Address" value="{{server.host}}"/>
    <param name="SIP.Account.{{line_map.index}}.ProxyServer.Port" value="{{server.port}}"/>
{{/server.host}}
{{#outbound_proxy.host}}
    <param name="SIP.Account.{{line_map.index}}.OutboundProxy.Mode" value="1"/>
    <param name="SIP.Account.{{line_map.index}}.OutboundProxy.Address" value="{{outbound_proxy.host}}"/>
    <param name="SIP.Account.{{line_map.index}}.OutboundProxy.Port" value="{{outbound_proxy.port}}"/>
{{/outbound_proxy.host}}
{{#voicemail}}
    <param name="SIP.Account.{{line_map.index}}.VoiceMail.Active" value="1"/>
    <param name="SIP.Account.{{line_map.index}}.VoiceMail.Mailbox" value="{{voicemail}}"/>
{{/voicemail}}
{{/accounts}}
{{#line_keys}}
{{>*type}}
{{/line_keys}}
{{#params}}
    <param name="{{name}}" value="{{value}}"/>
{{/params}}
  </nvm>
</provisioning>
