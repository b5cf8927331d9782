{{! The model's common file (<file_id>.cfg, e.g. f0X4hw1.100.cfg), read
    before <mac>.cfg (wazo-provd-plugins, wazo_fanvil).  No secrets: any
    phone of the model may fetch it.  Raw params go in <SIP CONFIG MODULE>,
    as in <mac>.cfg. }}
<<VOIP CONFIG FILE>>Version:2.0000000000
{{>settings}}
<SIP CONFIG MODULE>
{{#params}}
{{name}} :{{value}}
{{/params}}
