{{! <MAC>.xml and <mac>.xml: one Gigaset base station's or phone's whole
    configuration.  The catalogue's `family` names the partial that
    writes it: maxwell.tpl, nx70.tpl (N670/N870), n510.tpl, n720.tpl;
    a model without one gets the Maxwell format. }}
<?xml version="1.0" encoding="UTF-8"?>
{{#model_info.family}}
{{>*model_info.family}}
{{/model_info.family}}
{{^model_info.family}}
{{>maxwell}}
{{/model_info.family}}
