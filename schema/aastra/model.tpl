{{! <model>.cfg (e.g. 6867i.cfg): read after aastra.cfg, before the phone's
    <MAC>.cfg (administrator guide, "Configuration Files"); without
    secrets. }}
# deskprov: {{model}}.cfg
{{>settings}}
