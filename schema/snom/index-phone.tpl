{{! snom<model>-<MAC>.htm: asked for after snom<model>.htm (Snom wiki "Auto
    Provisioning"; docs/sources.md); lists the phone's own settings,
    <MAC>.xml.  No secrets here. }}
<?xml version="1.0" encoding="utf-8"?>
<setting-files>
  <file url="{{#provisioning.url}}{{provisioning.url}}{{/provisioning.url}}{{phone.MAC}}.xml"/>
{{! --- directory (issue 15, i15-dir) --- }}
{{#directory_url}}
  <file url="{{directory_url}}"/>
{{/directory_url}}
{{! --- end directory --- }}
</setting-files>
