{{! Busy lamp field with speed dial on line key K: the key leaves the
    lines (Extension_K_ Disabled) and watches value@host, the host of the
    key's line or the phone's $PROXY macro.  Partial of base.tpl. }}
<Extension_{{key}}_>Disabled</Extension_{{key}}_>
<Extended_Function_{{key}}_>fnc={{type_code}};sub={{value}}@{{#server_host}}{{server_host}}{{/server_host}}{{^server_host}}$PROXY{{/server_host}}{{#label}};nme={{label}}{{/label}}</Extended_Function_{{key}}_>
{{#label}}
<Short_Name_{{key}}_>{{label}}</Short_Name_{{key}}_>
{{/label}}
