{{! <mac>-directory.xml / 000000000000-directory.xml: the local contact
    directory (Polycom UC Software administrator guide, "Local Contact
    Directory": <directory><item_list><item> with ln last name, fn first
    name, ct contact number).  One item per number: an item holds one.
    The phone asks for these files itself; no setting points at them. }}
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<directory>
  <item_list>
{{#directory}}
{{#numbers}}
    <item><ln>{{last_name}}</ln><fn>{{first_name}}</fn><ct>{{number}}</ct></item>
{{/numbers}}
{{/directory}}
  </item_list>
</directory>
