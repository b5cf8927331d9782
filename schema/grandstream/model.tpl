{{! cfg<model>.xml (lowercase model): asked for after cfg<mac>.xml
    (Grandstream SIP Device Provisioning Guide).  Same content rules as
    cfg.xml. }}
<?xml version="1.0" encoding="UTF-8"?>
<gs_provision version="1">
  <config version="1">
{{>provisioning}}
  </config>
</gs_provision>
