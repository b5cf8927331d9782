{{! snom<model>.xml: settings every phone of one model shares (Snom wiki
    "Auto Provisioning").  Rendered without secrets: any phone of the model
    may fetch it.  Raw params are written as <name perm="R">value</name>. }}
<?xml version="1.0" encoding="utf-8"?>
<settings>
  <phone-settings>
{{>settings}}
{{#params}}
    <{{name}} perm="R">{{value}}</{{name}}>
{{/params}}
  </phone-settings>
</settings>
