{{! <model>-3PCC.xml: what a factory-new MPP phone reads first (its
    Profile_Rule is /$PSN.xml, inferred from wazo-provd-plugins' file
    names and the $PSN examples of the Cisco MPP provisioning guide; see
    docs/sources.md).  It adds the common file and the phone's own file to
    the resync rules, as wazo-provd-plugins' wazo_cisco_sip v12_0_7
    templates/common/model.cfg.tpl does; Profile_Rule itself
    stays the factory one, so the chain is model, common, phone and the
    last one read wins.  Without provisioning.url the rules are relative:
    the phone asks the server its factory rule used.  provisioning.url
    must end with "/". }}
<?xml version="1.0" encoding="UTF-8"?>
<flat-profile>
<Provision_Enable>Yes</Provision_Enable>
<Resync_On_Reset>Yes</Resync_On_Reset>
<Profile_Rule_B>{{#provisioning.url}}{{provisioning.url}}{{/provisioning.url}}{{^provisioning.url}}/{{/provisioning.url}}cp-phone.xml</Profile_Rule_B>
<Profile_Rule_C>{{#provisioning.url}}{{provisioning.url}}{{/provisioning.url}}{{^provisioning.url}}/{{/provisioning.url}}$MA.xml</Profile_Rule_C>
</flat-profile>
