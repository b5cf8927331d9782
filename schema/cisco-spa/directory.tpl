{{! <mac>-directory.xml: a <CiscoIPPhoneDirectory> (Cisco IP Phone Services
    XML objects; the form of wazo-phoned's cisco_results.jinja,
    https://github.com/wazo-platform/wazo-phoned, plugins/cisco).  One
    <DirectoryEntry> per number.  Cisco documents at most 32 entries per
    object: a phone may show only the first ones of a longer list. }}
<?xml version="1.0" encoding="UTF-8"?>
<CiscoIPPhoneDirectory>
  <Title>Directory</Title>
  <Prompt>Select a contact</Prompt>
{{#directory}}
{{#numbers}}
  <DirectoryEntry><Name>{{name}}</Name><Telephone>{{number}}</Telephone></DirectoryEntry>
{{/numbers}}
{{/directory}}
</CiscoIPPhoneDirectory>
