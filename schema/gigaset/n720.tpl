{{! N720 DM PRO: <ProviderFrame> read from <MAC>.xml, parameter names of
    wazo-provd-plugins' wazo_gigaset N720/templates/base.tpl.  MAC_ADDRESS
    must be the phone's or nothing is applied.  Text values are quoted
    inside the attribute ('"text"'), numbers are plain.  Line N is VoIP
    account N - 1; every line uses SIP provider 0, the server of the first
    account.  Raw params are written as SYMB_ITEMs (a text value must carry
    its own double quotes). }}
<ProviderFrame xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="N720_general.xsd">
  <Provider>
    <MAC_ADDRESS value="{{phone.MAC}}"/>
    <PROFILE_NAME class="string" value="deskprov"/>
{{#provisioning.url}}
    <SYMB_ITEM ID="BS_IP_Data.aucS_DATA_SERVER[%]" class="symb_item" value='"{{provisioning.url}}"'/>
{{/provisioning.url}}
{{#ntp_primary}}
    <SYMB_ITEM ID="BS_IP_Data.aucS_TIME_NTP_SERVER[%]" class="symb_item" value='"{{ntp_primary}}"'/>
    <SYMB_ITEM ID="BS_IP_Data.ucB_TIME_USE_AUTOMATIC_NTP_SYN" class="symb_item" value="1"/>
{{/ntp_primary}}
{{#timezone}}
    <SYMB_ITEM ID="BS_IP_Data.ucB_TIME_USE_AUTOMATIC_DST" class="symb_item" value="{{#dst}}1{{/dst}}{{^dst}}0{{/dst}}"/>
{{/timezone}}
{{#accounts}}
{{#first}}
{{#server.host}}
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipProviders[0].aucSIP_PROVIDER_NAME[%]" class="symb_item" value='"deskprov"'/>
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipProviders[0].aucSIP_DOMAIN[%]" class="symb_item" value='"{{server.host}}"'/>
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipProviders[0].aucSIP_SERVER[%]" class="symb_item" value='"{{server.host}}"'/>
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipProviders[0].uiSIP_SERVER_PORT" class="symb_item" value="{{server.port}}"/>
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipProviders[0].aucSIP_REGISTRAR[%]" class="symb_item" value='"{{server.host}}"'/>
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipProviders[0].uiSIP_REGISTRAR_PORT" class="symb_item" value="{{server.port}}"/>
{{/server.host}}
{{/first}}
{{/accounts}}
{{#accounts}}
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipAccounts[{{line_map.index}}].ucB_SIP_ACCOUNT_IS_ACTIVE_1" class="symb_item" value="{{#enabled}}1{{/enabled}}{{^enabled}}0{{/enabled}}"/>
{{#display_name}}
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipAccounts[{{line_map.index}}].aucS_SIP_DISPLAYNAME[0]" class="symb_item" value='"{{display_name}}"'/>
{{/display_name}}
{{#user}}
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipAccounts[{{line_map.index}}].aucS_SIP_USER_ID[0]" class="symb_item" value='"{{user}}"'/>
{{/user}}
{{#auth_user}}
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipAccounts[{{line_map.index}}].aucS_SIP_LOGIN_ID[0]" class="symb_item" value='"{{auth_user}}"'/>
{{/auth_user}}
{{#password}}
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipAccounts[{{line_map.index}}].aucS_SIP_PASSWORD[0]" class="symb_item" value='"{{password}}"'/>
{{/password}}
{{#voicemail}}
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipAccounts[{{line_map.index}}].aucS_VOIP_NET_AM_NUMBER_1[%]" class="symb_item" value='"{{voicemail}}"'/>
    <SYMB_ITEM ID="BS_VOIP_Data.astVoipAccounts[{{line_map.index}}].ucB_VOIP_NET_AM_ENABLED_1" class="symb_item" value="1"/>
{{/voicemail}}
{{/accounts}}
{{! --- directory (issue 15, i15-dir) --- }}
{{#directory_url}}
    <SYMB_ITEM ID="BS_XML_Netdirs.aucAvailableNetdirs[%]" class="symb_item" value="0x2a"/>
    <SYMB_ITEM ID="BS_XML_Netdirs.aucActivatedNetdirs[%]" class="symb_item" value="0x2a"/>
    <SYMB_ITEM ID="BS_XML_Netdirs.aucNetdirSelForDirectAccess[%]" class="symb_item" value="0x2a"/>
    <SYMB_ITEM ID="BS_XML_Netdirs.aucNetdirSelForIntKey[%]" class="symb_item" value="0x2a"/>
    <SYMB_ITEM ID="BS_XML_Netdirs.astNetdirProvider[0].aucProviderName[%]" class="symb_item" value='"deskprov"'/>
    <SYMB_ITEM ID="BS_XML_Netdirs.astNetdirProvider[0].aucPrivatePagesDirName[%]" class="symb_item" value='"Directory"'/>
    <SYMB_ITEM ID="BS_XML_Netdirs.astNetdirProvider[0].aucServerURL[%]" class="symb_item" value='"{{directory_url}}"'/>
    <SYMB_ITEM ID="BS_XML_Netdirs.astNetdirProvider[0].bitfldCap.bSearchPeopleCap" class="symb_item" value="1"/>
{{/directory_url}}
{{! --- end directory --- }}
{{#params}}
    <SYMB_ITEM ID="{{name}}" class="symb_item" value="{{value}}"/>
{{/params}}
  </Provider>
</ProviderFrame>
