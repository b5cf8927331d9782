{{! Speed dial on line key K: dials value@host.  Partial of base.tpl. }}
<Extension_{{key}}_>Disabled</Extension_{{key}}_>
<Extended_Function_{{key}}_>fnc={{type_code}};ext={{value}}@{{#server_host}}{{server_host}}{{/server_host}}{{^server_host}}$PROXY{{/server_host}}{{#label}};nme={{label}}{{/label}}</Extended_Function_{{key}}_>
{{#label}}
<Short_Name_{{key}}_>{{label}}</Short_Name_{{key}}_>
{{/label}}
