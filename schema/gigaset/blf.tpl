{{! Maxwell function key watching a number (Type 4, Tancredi
    gigaset.macros).  Partial of maxwell.tpl. }}
    <param name="PhoneUI.Keys.FunctionKeys.{{index0}}.Type" value="{{type_code}}"/>
    <param name="PhoneUI.Keys.FunctionKeys.{{index0}}.PhoneNumber" value="{{value}}"/>
{{#label}}
    <param name="PhoneUI.Keys.FunctionKeys.{{index0}}.DisplayName" value="{{label}}"/>
{{/label}}
