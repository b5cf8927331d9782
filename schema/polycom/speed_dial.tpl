{{! Speed dial on line key K: enhanced feature key K, a macro that dials
    the number ($Tinvite$), shown on key K.  Polycom has no plain speed
    dial key outside the contact directory.  Partial of base.tpl. }}
<efk
 feature.enhancedFeatureKeys.enabled="1"
 feature.EFKLineKey.enabled="1"
 efk.efklist.{{key}}.mname="sd{{key}}"
 efk.efklist.{{key}}.status="1"
{{#label}}
 efk.efklist.{{key}}.label="{{label}}"
{{/label}}
 efk.efklist.{{key}}.action.string="{{value}}$Tinvite$"
 efk.efklist.{{key}}.use.idle="1"
/>
<lineKey lineKey.reassignment.enabled="1" lineKey.{{key}}.category="{{type_code}}" lineKey.{{key}}.index="{{key}}"/>
