{{! <mac>.xml: one SPA phone's or adapter's whole configuration
    (Profile_Rule_C of the bootstrap, or the only file when its
    Profile_Rule points here directly).  Flat-profile syntax as on MPP
    phones: one element per parameter, _N_ for line N, ua="na" hides a
    value from the web page, the last occurrence wins (Cisco MPP
    provisioning guide), so raw params come last.  Parameter names: those
    of wazo-provd-plugins' wazo_cisco_spa templates (docs/sources.md); the
    admin password is Admin_Passwd (common/templates/base.tpl).  Blocks a model template may replace: accounts,
    keys.  Outbound proxy: Outbound_Proxy_N_ and Use_Outbound_Proxy_N_
    (the flat profile's names, as in schema/schema.yml's Cisco defaults). }}
<?xml version="1.0" encoding="UTF-8"?>
<flat-profile>
{{>settings}}
{{$accounts}}
{{#accounts}}
<Line_Enable_{{line}}_>{{#enabled}}Yes{{/enabled}}{{^enabled}}No{{/enabled}}</Line_Enable_{{line}}_>
{{#display_name}}
<Display_Name_{{line}}_>{{display_name}}</Display_Name_{{line}}_>
{{/display_name}}
{{#label}}
<Short_Name_{{line}}_>{{label}}</Short_Name_{{line}}_>
{{/label}}
{{#user}}
<User_ID_{{line}}_>{{user}}</User_ID_{{line}}_>
{{/user}}
{{#auth_user}}
<Use_Auth_ID_{{line}}_>Yes</Use_Auth_ID_{{line}}_>
<Auth_ID_{{line}}_>{{auth_user}}</Auth_ID_{{line}}_>
{{/auth_user}}
{{#password}}
<Password_{{line}}_ ua="na">{{password}}</Password_{{line}}_>
{{/password}}
{{#server.host}}
<Proxy_{{line}}_>{{server.host}}:{{server.port}}</Proxy_{{line}}_>
{{/server.host}}
{{#outbound_proxy.host}}
<Use_Outbound_Proxy_{{line}}_>Yes</Use_Outbound_Proxy_{{line}}_>
<Outbound_Proxy_{{line}}_>{{outbound_proxy.host}}:{{outbound_proxy.port}}</Outbound_Proxy_{{line}}_>
{{/outbound_proxy.host}}
{{#server.transport_code}}
<SIP_Transport_{{line}}_>{{server.transport_code}}</SIP_Transport_{{line}}_>
{{/server.transport_code}}
{{#first}}
{{#voicemail}}
<Voice_Mail_Number>{{voicemail}}</Voice_Mail_Number>
{{/voicemail}}
{{/first}}
{{/accounts}}
{{/accounts}}
{{$keys}}
{{#line_keys}}
{{>*type}}
{{/line_keys}}
{{/keys}}
{{#firmware.offer}}
{{#firmware.url}}
<Upgrade_Enable>Yes</Upgrade_Enable>
<Upgrade_Rule>{{firmware.url}}</Upgrade_Rule>
{{/firmware.url}}
{{/firmware.offer}}
{{#admin_password}}
<Admin_Passwd ua="na">{{admin_password}}</Admin_Passwd>
{{/admin_password}}
{{#user_password}}
<User_Password ua="na">{{user_password}}</User_Password>
{{/user_password}}
{{! --- directory (issue 15, i15-dir) --- }}
{{#directory_url}}
<XML_Directory_Service_Name>Directory</XML_Directory_Service_Name>
<XML_Directory_Service_URL>{{directory_url}}</XML_Directory_Service_URL>
{{/directory_url}}
{{! --- end directory --- }}
{{#params}}
<{{name}}>{{value}}</{{name}}>
{{/params}}
</flat-profile>
