{{! N510 IP PRO: <ProviderFrame> read from <MAC>.xml, parameter names of
    wazo-provd-plugins' wazo_gigaset N510/templates/base.tpl.  MAC_ADDRESS
    must be the phone's or nothing is applied.  Text values are quoted
    inside the attribute ('"text"'), numbers are plain.  Line N: array index
    N - 1, suffix _N on most names (none for line 1).  Ports are written
    in hex ("0x13c4" for 5060) as wazo-provd-plugins' N510 template does.
    system_pin goes to BS_CUSTOM.aucKdsPin[0] as two BCD bytes (1234 ->
    "0x12,0x34", the same template's comment); the data server, firmware
    URL and config file URL are written without their scheme, and the
    auto-update flags set, as that template does.  The time zone code is
    not mapped (the template's comment and its common.py list different
    codes, docs/vendors/gigaset.md): set it in params, written as
    SYMB_ITEMs (a text value must carry its own double quotes). }}
<ProviderFrame xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="N510.xsd">
  <Provider>
    <MAC_ADDRESS value="{{phone.MAC}}"/>
    <PROFILE_NAME class="string" value="deskprov"/>
{{#system_pin_bcd}}
    <SYMB_ITEM ID="BS_CUSTOM.aucKdsPin[0]" class="symb_item" value="{{system_pin_bcd}}"/>
{{/system_pin_bcd}}
{{#provisioning.url}}
    <SYMB_ITEM ID="BS_IP_Data1.aucS_DATA_SERVER[0]" class="symb_item" value='"{{provisioning.url_noscheme}}"'/>
    <S_CONFIGFILE_URL class="string" value='"{{provisioning.url_noscheme}}{{phone.MAC}}.xml"'/>
    <SYMB_ITEM ID="BS_IP_Data.ucB_AUTO_UPDATE_PROFILE" class="symb_item" value="0x1"/>
    <SYMB_ITEM ID="BS_IP_Data3.ucI_ONESHOT_PROVISIONING_MODE_1" class="symb_item" value="0x1"/>
{{/provisioning.url}}
{{#firmware.offer}}
{{#firmware.url}}
    <SYMB_ITEM ID="BS_IP_Data1.aucS_USER_FIRMWARE_URL" class="string" value='"{{firmware.url_noscheme}}"'/>
{{/firmware.url}}
{{/firmware.offer}}
{{#ntp_primary}}
    <SYMB_ITEM ID="BS_IP_Data1.aucS_TIME_NTP_SERVER" class="symb_item" value='"{{ntp_primary}}"'/>
{{/ntp_primary}}
{{#timezone}}
    <SYMB_ITEM ID="BS_IP_Data1.ucB_TIME_USE_AUTOMATIC_DST" class="symb_item" value="{{#dst}}1{{/dst}}{{^dst}}0{{/dst}}"/>
{{/timezone}}
{{#accounts}}
    <SYMB_ITEM ID="BS_IP_Data1.ucB_SIP_ACCOUNT_IS_ACTIVE_{{line}}" class="symb_item" value="{{#enabled}}1{{/enabled}}{{^enabled}}0{{/enabled}}"/>
{{#label}}
    <SYMB_ITEM ID="BS_Accounts.astAccounts[{{line_map.index}}].aucAccountName[0]" class="symb_item" value='"{{label}}"'/>
    <SYMB_ITEM ID="BS_IP_Data1.aucS_SIP_ACCOUNT_NAME_{{line}}" class="symb_item" value='"{{label}}"'/>
{{/label}}
{{#display_name}}
    <SYMB_ITEM ID="BS_IP_Data1.aucS_SIP_DISPLAYNAME{{line_map.suffix}}" class="symb_item" value='"{{display_name}}"'/>
{{/display_name}}
{{#user}}
    <SYMB_ITEM ID="BS_IP_Data1.aucS_SIP_USER_ID{{line_map.suffix}}" class="symb_item" value='"{{user}}"'/>
{{/user}}
{{#auth_user}}
    <SYMB_ITEM ID="BS_IP_Data3.aucS_SIP_LOGIN_ID{{line_map.suffix}}" class="symb_item" value='"{{auth_user}}"'/>
{{/auth_user}}
{{#password}}
    <SYMB_ITEM ID="BS_IP_Data1.aucS_SIP_PASSWORD{{line_map.suffix}}" class="symb_item" value='"{{password}}"'/>
{{/password}}
{{#server.host}}
    <SYMB_ITEM ID="BS_IP_Data1.aucS_SIP_DOMAIN{{line_map.suffix}}" class="symb_item" value='"{{server.host}}"'/>
    <SYMB_ITEM ID="BS_IP_Data1.aucS_SIP_SERVER{{line_map.suffix}}" class="symb_item" value='"{{server.host}}"'/>
    <SYMB_ITEM ID="BS_IP_Data1.aucS_SIP_REGISTRAR{{line_map.suffix}}" class="symb_item" value='"{{server.host}}"'/>
    <SYMB_ITEM ID="BS_IP_Data1.uiI_SIP_SERVER_PORT{{line_map.suffix}}" class="symb_item" value="{{server.port_hex}}"/>
    <SYMB_ITEM ID="BS_IP_Data1.uiI_SIP_REGISTRAR_PORT{{line_map.suffix}}" class="symb_item" value="{{server.port_hex}}"/>
{{/server.host}}
{{#outbound_proxy.host}}
    <SYMB_ITEM ID="BS_IP_Data1.ucI_OUTBOUND_PROXY_MODE{{line_map.suffix}}" class="symb_item" value="0x1"/>
    <SYMB_ITEM ID="BS_IP_Data1.aucS_OUTBOUND_PROXY{{line_map.suffix}}" class="symb_item" value='"{{outbound_proxy.host}}"'/>
    <SYMB_ITEM ID="BS_IP_Data1.uiI_OUTBOUND_PROXY_PORT{{line_map.suffix}}" class="symb_item" value="{{outbound_proxy.port_hex}}"/>
{{/outbound_proxy.host}}
{{#voicemail}}
    <SYMB_ITEM ID="BS_IP_Data1.aucS_VOIP_NET_AM_NUMBER_{{line}}" class="symb_item" value='"{{voicemail}}"'/>
    <SYMB_ITEM ID="BS_IP_Data1.ucB_VOIP_NET_AM_ENABLED_{{line}}" class="symb_item" value="1"/>
{{/voicemail}}
{{/accounts}}
{{! --- directory (issue 15, i15-dir) --- }}
{{#directory_url}}
    <SYMB_ITEM ID="BS_XML_Netdirs.aucAvailableNetdirs" class="symb_item" value="0x2a"/>
    <SYMB_ITEM ID="BS_XML_Netdirs.aucActivatedNetdirs" class="symb_item" value="0x2a"/>
    <SYMB_ITEM ID="BS_XML_Netdirs.aucNetdirSelForDirectAccess" class="symb_item" value="0x2a"/>
    <SYMB_ITEM ID="BS_XML_Netdirs.aucNetdirSelForIntKey" class="symb_item" value="0x2a"/>
    <SYMB_ITEM ID="BS_XML_Netdirs.astNetdirProvider[0].aucProviderName" class="symb_item" value='"deskprov"'/>
    <SYMB_ITEM ID="BS_XML_Netdirs.astNetdirProvider[0].aucPrivatePagesDirName" class="symb_item" value='"Directory"'/>
    <SYMB_ITEM ID="BS_XML_Netdirs.astNetdirProvider[0].aucServerURL" class="symb_item" value='"{{directory_url}}"'/>
    <SYMB_ITEM ID="BS_XML_Netdirs.astNetdirProvider[0].bitfldCap.bSearchPeopleCap" class="symb_item" value="1"/>
{{/directory_url}}
{{! --- end directory --- }}
{{#params}}
    <SYMB_ITEM ID="{{name}}" class="symb_item" value="{{value}}"/>
{{/params}}
  </Provider>
</ProviderFrame>
