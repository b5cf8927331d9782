{{! <mac>.boot: the first file a Yealink phone asks for (Yealink admin
    guide, boot files; docs/sources.md).  It names the files to fetch, top
    to bottom, later ones winning: the model's common file, then the phone's
    own.  overwrite_mode = 1: a setting deskprov stops sending goes back to
    its factory value. }}
#!version:1.0.0.1
{{#model_info.common_cfg}}
include:config "{{model_info.common_cfg}}"
{{/model_info.common_cfg}}
include:config "{{phone.mac}}.cfg"
overwrite_mode = 1
