{{! snom<model>.htm: the first file a Snom asks for (Snom wiki "Auto
    Provisioning"; docs/sources.md).  It lists the model's shared settings,
    snom<model>.xml.  URLs are absolute when provisioning.url is known,
    relative otherwise. }}
<?xml version="1.0" encoding="utf-8"?>
<setting-files>
  <file url="{{#provisioning.url}}{{provisioning.url}}{{/provisioning.url}}snom{{model}}.xml"/>
</setting-files>
