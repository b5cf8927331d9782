{{! Provisioning and firmware P-values, the only settings the shared files
    cfg<model>.xml and cfg.xml carry (amooma GS3,
    prov/grandstream/settings.php): P237 config server, P194/P193 periodic
    check every N minutes, P192 firmware server.  The servers are written
    without their scheme, which goes into the "upgrade via" P-values
    (maps.url_scheme): P212 for the configuration (GS3), P6767 for the
    firmware (wazo-provd-plugins, wazo_grandstream common_ata templates,
    P6767 1 with P192 <host>/<path>).  GS3 writes P237 with its scheme
    instead; docs/vendors/grandstream.md says which sources say what.  The
    phone appends its own file names, so both are directories. }}
{{#provisioning.url}}
{{#provisioning.url_scheme_code}}
    <P212>{{provisioning.url_scheme_code}}</P212>
{{/provisioning.url_scheme_code}}
    <P237>{{provisioning.url_noscheme}}</P237>
{{/provisioning.url}}
{{#provisioning.interval_minutes}}
    <P194>1</P194>
    <P193>{{provisioning.interval_minutes}}</P193>
{{/provisioning.interval_minutes}}
{{#firmware.offer}}
{{#firmware.url}}
{{#firmware.url_scheme_code}}
    <P6767>{{firmware.url_scheme_code}}</P6767>
{{/firmware.url_scheme_code}}
    <P192>{{firmware.url_noscheme}}</P192>
{{/firmware.url}}
{{/firmware.offer}}
