{{! Maxwell function key showing a line (Type 0, Tancredi gigaset.macros);
    the phone picks the connection.  Partial of maxwell.tpl. }}
    <param name="PhoneUI.Keys.FunctionKeys.{{index0}}.Type" value="{{type_code}}"/>
{{#label}}
    <param name="PhoneUI.Keys.FunctionKeys.{{index0}}.DisplayName" value="{{label}}"/>
{{/label}}
