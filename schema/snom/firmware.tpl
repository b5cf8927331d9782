{{! snom<model>-firmware.xml and snom<model>-<MAC>-firmware.xml: the
    document firmware_status points at (Snom wiki "Auto Provisioning",
    Tancredi's snom-firmware.tmpl).  It names an image only while the phone
    does not already run firmware.version. }}
<?xml version="1.0" encoding="utf-8"?>
<firmware-settings>
{{#firmware.offer}}
{{#firmware.url}}
  <firmware perm="">{{firmware.url}}</firmware>
{{/firmware.url}}
{{/firmware.offer}}
</firmware-settings>
