{{! y0000000000XX.cfg: what every phone of one model shares (Yealink admin
    guide).  Rendered without secrets: it may go to any phone. }}
#!version:1.0.0.1
# deskprov: common settings for Yealink {{model}}
{{>settings}}
{{#params}}
{{name}} = {{value}}
{{/params}}
