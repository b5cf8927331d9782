{{! N670/N870 (and other Nx70) DECT managers: <provisioning productID="e2">,
    format and parameter names of wazo-provd-plugins' wazo_gigaset
    Nx70-83.v2.49.1/templates/base.tpl (docs/sources.md).  Line N is handset
    N (add_hs 0000N, registration mode) with SipAccount.0000N; every line
    uses SIP provider 0, the server of the first account.
    DmGlobal.0.TimeZone is a zone name from the list the DECT manager
    accepts (maps.zones): the device's zone when listed, else the listed
    zone nearest by offset and DST rules (vendor_zone, which `deskprov
    explain` shows).  Outbound proxy: mode 0 with address and port (the
    same wazo-provd-plugins template). }}
<provisioning version="1.1" productID="e2">
{{#firmware.offer}}
{{#firmware.url}}
  <firmware>
    <file version="{{firmware.version}}" url="{{firmware.url}}"/>
  </firmware>
{{/firmware.url}}
{{/firmware.offer}}
  <nvm>
{{#admin_password}}
    <param name="WebUIAccounts.1.Password" value="{{admin_password}}"/>
{{/admin_password}}
{{#provisioning.url}}
    <param name="Provisioning.global.ProvisioningServer" value="{{provisioning.url}}"/>
{{/provisioning.url}}
{{#ntp_primary}}
    <param name="DmGlobal.0.NtpServer" value="{{ntp_primary}}"/>
{{/ntp_primary}}
{{#vendor_zone}}
    <param name="DmGlobal.0.TimeZone" value="{{value}}"/>
{{/vendor_zone}}
{{#accounts}}
{{#first}}
{{#server.host}}
    <param name="SipProvider.0.Name" value="deskprov"/>
    <param name="SipProvider.0.Domain" value="{{server.host}}"/>
    <param name="SipProvider.0.ProxyServerAddress" value="{{server.host}}"/>
    <param name="SipProvider.0.ProxyServerPort" value="{{server.port}}"/>
    <param name="SipProvider.0.RegServerAddress" value="{{server.host}}"/>
    <param name="SipProvider.0.RegServerPort" value="{{server.port}}"/>
{{#server.transport_code}}
    <param name="SipProvider.0.TransportProtocol" value="{{server.transport_code}}"/>
{{/server.transport_code}}
{{#outbound_proxy.host}}
    <param name="SipProvider.0.OutboundProxyMode" value="0"/>
    <param name="SipProvider.0.OutboundProxyAddress" value="{{outbound_proxy.host}}"/>
    <param name="SipProvider.0.OutboundProxyPort" value="{{outbound_proxy.port}}"/>
{{/outbound_proxy.host}}
{{/server.host}}
{{/first}}
{{/accounts}}
{{#accounts}}
    <oper name="add_hs" value="{{line_map.hs}}">
      <param name="hs.RegStatus" value="ToReg"/>
    </oper>
    <param name="SipAccount.{{line_map.hs}}.ProviderId" value="0"/>
{{#user}}
    <param name="SipAccount.{{line_map.hs}}.UserName" value="{{user}}"/>
{{/user}}
{{#auth_user}}
    <param name="SipAccount.{{line_map.hs}}.AuthName" value="{{auth_user}}"/>
{{/auth_user}}
{{#password}}
    <param name="SipAccount.{{line_map.hs}}.AuthPassword" value="{{password}}"/>
{{/password}}
{{#display_name}}
    <param name="SipAccount.{{line_map.hs}}.DisplayName" value="{{display_name}}"/>
{{/display_name}}
{{#voicemail}}
    <param name="SipAccount.{{line_map.hs}}.VoiceMailMailbox" value="{{voicemail}}"/>
    <param name="SipAccount.{{line_map.hs}}.VoiceMailActive" value="1"/>
{{/voicemail}}
{{/accounts}}
{{! --- directory (issue 15, i15-dir) --- }}
{{#directory_url}}
    <param name="Netdir.1.Activated" value="1"/>
    <param name="XMLDir.1.ProviderName" value="deskprov"/>
    <param name="XMLDir.1.ServerURL" value="{{directory_url}}"/>
    <param name="XMLDir.1.WhitePagesDirName" value="Directory"/>
    <param name="XMLDir.1.StartWithListWP" value="1"/>
{{/directory_url}}
{{! --- end directory --- }}
{{#params}}
    <param name="{{name}}" value="{{value}}"/>
{{/params}}
  </nvm>
</provisioning>
