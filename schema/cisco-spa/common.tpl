{{! spa-phone.xml: the settings every SPA shares (Profile_Rule_B of the
    bootstrap).  Rendered without passwords and secret-looking params: it
    is served to any phone. }}
<?xml version="1.0" encoding="UTF-8"?>
<flat-profile>
<Provision_Enable>Yes</Provision_Enable>
{{>settings}}
{{#params}}
<{{name}}>{{value}}</{{name}}>
{{/params}}
</flat-profile>
