{{! Line key K shows registration N (flexible line key assignment).
    Partial of base.tpl, chosen by the key's type. }}
<lineKey lineKey.reassignment.enabled="1" lineKey.{{key}}.category="{{type_code}}" lineKey.{{key}}.index="{{line}}"/>
