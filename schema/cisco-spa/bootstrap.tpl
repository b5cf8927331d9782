{{! spa<model>.cfg (and init.cfg for the PAP2T): what a factory-new SPA
    reads first (factory Profile_Rule /spa$PSN.cfg, Cisco SPA provisioning
    guide).  Flat-profile XML despite the name (wazo-provd-plugins,
    wazo_cisco_spa templates/common/model.cfg.tpl; docs/sources.md).
    It adds the common file and the phone's own file to the resync rules;
    Profile_Rule stays the factory one, so each resync reads model, common,
    phone and the last one read wins.  Without provisioning.url the rules
    are relative to the server the factory rule used.  provisioning.url
    must end with "/". }}
<?xml version="1.0" encoding="UTF-8"?>
<flat-profile>
<Provision_Enable>Yes</Provision_Enable>
<Resync_On_Reset>Yes</Resync_On_Reset>
<Profile_Rule_B>{{#provisioning.url}}{{provisioning.url}}{{/provisioning.url}}{{^provisioning.url}}/{{/provisioning.url}}spa-phone.xml</Profile_Rule_B>
<Profile_Rule_C>{{#provisioning.url}}{{provisioning.url}}{{/provisioning.url}}{{^provisioning.url}}/{{/provisioning.url}}$MA.xml</Profile_Rule_C>
</flat-profile>
