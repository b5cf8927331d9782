{{! <mac>.cfg for the CP920 conference phone: base.tpl without line keys,
    which the CP920 does not have (wazo-provd-plugins,
    wazo_yealink/v87/common.py: 0 line keys). }}
{{<base}}
{{$keys}}
# deskprov: the CP920 has no line keys; line_keys are ignored
{{/keys}}
{{/base}}
