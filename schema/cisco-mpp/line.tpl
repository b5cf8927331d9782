{{! Line key K shows line N: Extension_K_ = N, no extended function
    (an empty element clears one set before: Cisco MPP provisioning
    guide).  Partial of base.tpl,
    chosen by the key's type. }}
<Extension_{{key}}_>{{line}}</Extension_{{key}}_>
<Extended_Function_{{key}}_></Extended_Function_{{key}}_>
{{#label}}
<Short_Name_{{key}}_>{{label}}</Short_Name_{{key}}_>
{{/label}}
