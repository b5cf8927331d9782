{{! common.cfg: the settings every Polycom phone shares, second in
    CONFIG_FILES so the phone's own file wins.  Rendered without passwords
    and secret-looking params: it is served to any phone. }}
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<polycomConfig>
{{>settings}}
{{>params}}
</polycomConfig>
