{{! <mac>.cfg: one phone's configuration, with its secrets (text syntax and
    names from Tancredi's fanvil-X5.tmpl; docs/sources.md).  Keys: a key
    whose type has a maps.key_type code is a memory key (Type 1,
    value@line/code); one without (a line key) is Type 2 SIP<line>.  All
    keys are written on the first DSS page.  Raw params end up in
    <SIP CONFIG MODULE>; the extra block, last, may open any module.
    Blocks a local template can replace: lines, keys, extra.  The
    outbound proxy: SIPn Proxy Addr / Proxy Port (fanvil-X5.tmpl). }}
<<VOIP CONFIG FILE>>Version:2.0000000000
{{>settings}}
<DSSKEY CONFIG MODULE>
{{$keys}}
--Dsskey Config1-- :
{{#line_keys}}
{{#type_code}}
{{#value}}
Fkey{{key}} Type               :1
Fkey{{key}} Value              :{{value}}@{{line}}/{{type_code}}
{{/value}}
{{/type_code}}
{{^type_code}}
Fkey{{key}} Type               :2
Fkey{{key}} Value              :SIP{{line}}
{{/type_code}}
{{#label}}
Fkey{{key}} Title              :{{label}}
{{/label}}
{{/line_keys}}
{{/keys}}
{{! --- directory (issue 15, i15-dir): the soft key that opens the
    phonebook, Type 7 (URL) with the URL as value (wazo-provd-plugins,
    wazo_fanvil base.tpl Soft_Dss_Key_Entry; Tancredi fanvil-X5.tmpl
    --SoftDss Config-- for the text form) --- }}
{{#directory_url}}
--SoftDss Config-- :
Fkey1 Type         :7
Fkey1 Value        :{{directory_url}}
Fkey1 Title        :Directory
{{/directory_url}}
{{! --- end directory --- }}
<SIP CONFIG MODULE>
{{$lines}}
{{#accounts}}
SIP{{line}} Enable Reg         :{{#enabled}}1{{/enabled}}{{^enabled}}0{{/enabled}}
{{#user}}
SIP{{line}} Phone Number       :{{user}}
{{/user}}
{{#display_name}}
SIP{{line}} Display Name       :{{display_name}}
{{/display_name}}
{{#server.host}}
SIP{{line}} Register Addr      :{{server.host}}
SIP{{line}} Register Port      :{{server.port}}
{{/server.host}}
{{#auth_user}}
SIP{{line}} Register User      :{{auth_user}}
{{/auth_user}}
{{#password}}
SIP{{line}} Register Pswd      :{{password}}
{{/password}}
{{#server.transport_code}}
SIP{{line}} Transport          :{{server.transport_code}}
{{/server.transport_code}}
{{#outbound_proxy.host}}
SIP{{line}} Proxy Addr         :{{outbound_proxy.host}}
SIP{{line}} Proxy Port         :{{outbound_proxy.port}}
{{/outbound_proxy.host}}
{{#voicemail}}
SIP{{line}} MWI Num            :{{voicemail}}
{{/voicemail}}
{{/accounts}}
{{/lines}}
{{#params}}
{{name}} :{{value}}
{{/params}}
{{$extra}}
{{/extra}}
