{{! fanvil_<model>_hwv<N>_0.txt: the firmware manifest a Fanvil reads from
    its upgrade server (format as in wazo-provd-plugins' wazo_fanvil
    common/templates/common/model-v6x.tpl).  Empty unless an image is
    offered to this phone. }}
{{#firmware.offer}}
{{#firmware.url}}
{{#firmware.version}}
Version={{firmware.version}}
Firmware={{firmware.url}}
Info=TXT|XML
{{model}}_{{firmware.version}}
Fanvil
{{/firmware.version}}
{{/firmware.url}}
{{/firmware.offer}}
