{{! aastra.cfg: read first by every Aastra/Mitel phone (administrator
    guide, "Configuration Files"); without secrets.  A model's file and
    the phone's own file override it. }}
# deskprov: aastra.cfg
{{>settings}}
