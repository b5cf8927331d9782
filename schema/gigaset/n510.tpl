{{! N510 IP PRO: <ProviderFrame> read from <MAC>.xml, parameter names of
    wazo-provd-plugins' wazo_gigaset N510/templates/base.tpl.  MAC_ADDRESS
    must be the phone's or nothing is applied.  Text values are quoted
    inside the attribute ('"text"'), numbers are plain.  Line N: array index
    N - 1, suffix _N on most names (none for line 1).  The time zone code
    and the system PIN are not mapped: set them in params, written as
    SYMB_ITEMs (a text value must carry its own double quotes). }}
<ProviderFrame xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="N510.xsd">
  <Provider>
    <MAC_ADDRESS value="{{phone.MAC}}"/>
    <PROFILE_NAME class="string" value="deskprov"/>
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
    <SYMB_ITEM ID="BS_IP_Data1.uiI_SIP_SERVER_PORT{{line_map.suffix}}" class="symb_item" value="{{server.port}}"/>
    <SYMB_ITEM ID="BS_IP_Data1.uiI_SIP_REGISTRAR_PORT{{line_map.suffix}}" class="symb_item" value="{{server.port}}"/>
{{/server.host}}
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
