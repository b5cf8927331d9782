{{! <mac>-directory.xml: the online directory answer (<list
    response="get_list">, <entry> with ln, fn, hm home, nb office, mb
    mobile: wazo-phoned's gigaset_results.jinja,
    https://github.com/wazo-platform/wazo-phoned, plugins/gigaset).  The
    base sends search parameters in the query string; every query gets the
    whole list. }}
<?xml version="1.0" encoding="UTF-8"?>
<list response="get_list" type="pr" total="{{directory_count}}" first="1" last="{{directory_count}}">
{{#directory}}
<entry id="{{index0}}"><ln>{{last_name}}</ln><fn>{{first_name}}</fn>{{#home}}<hm>{{.}}</hm>{{/home}}{{#work}}<nb>{{.}}</nb>{{/work}}{{^work}}{{#other}}<nb>{{.}}</nb>{{/other}}{{/work}}{{#mobile}}<mb>{{.}}</mb>{{/mobile}}</entry>
{{/directory}}
</list>
