{{! Provisioning and firmware P-values, the only settings the shared files
    cfg<model>.xml and cfg.xml carry (amooma GS3,
    prov/grandstream/settings.php): P237 config server, P194/P193 periodic
    check every N minutes, P192 firmware server.  Both servers take a URL
    with its scheme; the phone appends its own file names, so they are
    directories. }}
{{#provisioning.url}}
    <P237>{{provisioning.url}}</P237>
{{/provisioning.url}}
{{#provisioning.interval_minutes}}
    <P194>1</P194>
    <P193>{{provisioning.interval_minutes}}</P193>
{{/provisioning.interval_minutes}}
{{#firmware.offer}}
{{#firmware.url}}
    <P192>{{firmware.url}}</P192>
{{/firmware.url}}
{{/firmware.offer}}
