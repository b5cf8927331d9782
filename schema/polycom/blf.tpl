{{! Busy lamp field on line key K: entry K of the attendant resource list
    (wazo-provd-plugins, wazo_polycom common.py _add_fkeys), shown on key K.
    lineKey.K.index naming the list entry is unverified on hardware.
    Partial of base.tpl. }}
<attendant
 attendant.resourceList.{{key}}.address="{{value}}"
{{#label}}
 attendant.resourceList.{{key}}.label="{{label}}"
{{/label}}
 attendant.resourceList.{{key}}.type="normal"
/>
<lineKey lineKey.reassignment.enabled="1" lineKey.{{key}}.category="{{type_code}}" lineKey.{{key}}.index="{{key}}"/>
