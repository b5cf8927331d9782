{{! cfg.xml: the file every Grandstream asks for last (Grandstream SIP
    Device Provisioning Guide).  Without secrets, and only provisioning and
    firmware settings: a value here must not undo what the phone's own
    cfg<mac>.xml set. }}
<?xml version="1.0" encoding="UTF-8"?>
<gs_provision version="1">
  <config version="1">
{{>provisioning}}
  </config>
</gs_provision>
