# Compiled from the template by Jinja2 3.1.6 (sha256 f8fe9447de8a2914cd4d6c4cbec76a96d86320badc1a688dee7affd90a3ddb8a); do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'report.html.j2'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_r = resolve('r')
    l_0_font_regular = resolve('font_regular')
    l_0_font_bold = resolve('font_bold')
    l_0_css = resolve('css')
    l_0_chart = resolve('chart')
    l_0_keys = resolve('keys')
    pass
    yield '<!DOCTYPE html>\n<html lang="'
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'lang'))
    yield '">\n<head>\n<meta charset="utf-8">\n<title>'
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'title'))
    yield '</title>\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<style>\n@font-face { font-family: "Atkinson Hyperlegible"; font-style: normal; font-weight: 400; src: url("'
    yield escape((undefined(name='font_regular') if l_0_font_regular is missing else l_0_font_regular))
    yield '") format("truetype"); }\n@font-face { font-family: "Atkinson Hyperlegible"; font-style: normal; font-weight: 700; src: url("'
    yield escape((undefined(name='font_bold') if l_0_font_bold is missing else l_0_font_bold))
    yield '") format("truetype"); }\n'
    yield escape((undefined(name='css') if l_0_css is missing else l_0_css))
    yield '\n</style>\n</head>\n<body class="r-view-'
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'view'))
    yield ' r-page-'
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'page_class'))
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'tight'):
        pass
        yield ' r-tight'
    yield '"><div class="r-running r-marking-top">'
    yield escape((environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'marking') or ''))
    yield '</div>\n<div class="r-running r-marking-bottom">'
    yield escape((environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'marking') or ''))
    yield '</div>\n<div class="r-running r-page-title">'
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'title'))
    yield '</div>'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'banner'):
        pass
        yield '\n<div class="r-running r-banner-top">'
        yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'banner'))
        yield '</div>'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'banner'):
        pass
        yield '\n<p class="r-banner" role="note">'
        yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'banner'))
        yield '</p>'
    yield '\n<header class="r-report-header">'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'key_figures'):
        pass
        yield '\n  <table class="r-key-figures" aria-label="Key figures">\n    <tbody>'
        for l_1_f in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'key_figures'):
            _loop_vars = {}
            pass
            yield '\n      <tr><th scope="row">'
            yield escape(environment.getattr(l_1_f, 'label'))
            yield '</th><td>'
            yield escape(environment.getattr(l_1_f, 'value'))
            yield '</td></tr>'
        l_1_f = missing
        yield '\n    </tbody>\n  </table>'
    yield '\n  <div class="r-who">\n    <h1>'
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'header'), 'name'))
    yield '</h1>\n    <dl class="r-facts-line">\n      <div><dt>Date of birth</dt><dd>'
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'header'), 'date_of_birth'))
    yield '</dd></div>'
    if environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'header'), 'ref'):
        pass
        yield '\n      <div><dt>Reference</dt><dd>'
        yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'header'), 'ref'))
        yield '</dd></div>'
    yield '\n      <div><dt>As at</dt><dd>'
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'header'), 'as_of'))
    yield '</dd></div>\n      <div><dt>Age</dt><dd>'
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'header'), 'age'))
    yield '</dd></div>\n    </dl>\n  </div>\n</header>'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'measuring'):
        pass
        yield '\n<figure class="r-chart r-chart-measure" aria-hidden="true"></figure>'
    elif environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'chart'):
        pass
        yield '\n<figure class="r-chart">'
        if environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'uri'):
            pass
            yield '\n<img src="'
            yield escape(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'uri'))
            yield '" alt="'
            yield escape(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'alt'))
            yield '"'
            if environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'width'):
                pass
                yield ' style="width: '
                yield escape(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'width'))
                yield '"'
            yield '>'
        else:
            pass
            yield '\n<div class="r-chart-box"'
            if environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'width'):
                pass
                yield ' style="width: '
                yield escape(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'width'))
                yield '"'
            yield '>'
            yield escape(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'svg'))
            yield '</div>'
        if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'chart_note'):
            pass
            yield '\n<figcaption class="r-chart-note">'
            yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'chart_note'))
            yield '</figcaption>'
        yield '\n</figure>'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'paragraph'):
        pass
        yield '\n<section class="r-in-words" aria-label="In words">\n  <h2>In words</h2>\n  <p>'
        yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'paragraph'))
        yield '</p>'
        if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'left_out'):
            pass
            yield '\n  <p class="r-left-out">'
            yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'left_out'))
            yield '</p>'
        yield '\n</section>'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'court'):
        pass
        yield '\n<section class="r-court" aria-label="'
        yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'court_title'))
        yield '">\n  <h2>'
        yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'court_title'))
        yield '</h2>\n  <table class="r-figures r-court-table">\n    <tbody>'
        for l_1_f in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'court'):
            _loop_vars = {}
            pass
            yield '\n      <tr><th scope="row">'
            yield escape(environment.getattr(l_1_f, 'label'))
            yield '</th><td>'
            yield escape(environment.getattr(l_1_f, 'value'))
            yield '</td></tr>'
        l_1_f = missing
        yield '\n    </tbody>\n  </table>'
        if (environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'left_out') and (not environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'paragraph'))):
            pass
            yield '\n  <p class="r-left-out">'
            yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'left_out'))
            yield '</p>'
        yield '\n</section>'
    for l_1_key in (undefined(name='keys') if l_0_keys is missing else l_0_keys):
        _loop_vars = {}
        pass
        yield '\n<figure class="r-chart-key">'
        if environment.getattr(l_1_key, 'uri'):
            pass
            yield '\n<img src="'
            yield escape(environment.getattr(l_1_key, 'uri'))
            yield '" alt="'
            yield escape(environment.getattr(l_1_key, 'alt'))
            yield '">'
        else:
            pass
            yield '\n'
            yield escape(environment.getattr(l_1_key, 'svg'))
        yield '\n</figure>'
    l_1_key = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'show_summary'):
        pass
        yield '\n<section class="r-summary" aria-label="Summary">\n  <h2>Summary</h2>\n  <div class="r-summary-grid">\n    <table class="r-figures">\n      <caption>Key figures</caption>\n      <tbody>'
        for l_1_f in environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'figures'):
            _loop_vars = {}
            pass
            yield '\n        <tr><th scope="row">'
            yield escape(environment.getattr(l_1_f, 'label'))
            yield '</th><td>'
            yield escape(environment.getattr(l_1_f, 'value'))
            yield '</td></tr>'
        l_1_f = missing
        yield '\n      </tbody>\n    </table>'
        if environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'milestones'):
            pass
            yield '\n    <table class="r-milestones">\n      <caption>Milestones to permanence</caption>\n      <thead><tr><th scope="col">Milestone</th><th scope="col">Date</th><th scope="col">Target</th><th scope="col">Status</th></tr></thead>\n      <tbody>'
            for l_1_m in environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'milestones'):
                _loop_vars = {}
                pass
                yield '\n        <tr class="r-status-'
                yield escape(environment.getattr(l_1_m, 'status_class'))
                yield '"><td>'
                yield escape(environment.getattr(l_1_m, 'name'))
                yield '</td><td>'
                yield escape(environment.getattr(l_1_m, 'date'))
                yield '</td><td>'
                yield escape(environment.getattr(l_1_m, 'target'))
                yield '</td><td class="r-status">'
                yield escape(environment.getattr(l_1_m, 'status'))
                yield '</td></tr>'
            l_1_m = missing
            yield '\n      </tbody>\n    </table>'
        yield '\n  </div>'
        if environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'flags'):
            pass
            yield '\n  <h3>Points to note</h3>\n  <ul class="r-flags">'
            for l_1_text in environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'flags'):
                _loop_vars = {}
                pass
                yield '\n    <li>'
                yield escape(l_1_text)
                yield '</li>'
            l_1_text = missing
            yield '\n  </ul>'
        if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'research'):
            pass
            yield '\n  <aside class="r-research" aria-label="Research context">\n    <h3>Research context (not about this child)</h3>\n    <ul>'
            for l_1_item in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'research'):
                _loop_vars = {}
                pass
                yield '\n      <li>'
                yield escape(environment.getattr(l_1_item, 'text'))
                yield ' <span class="r-cite">Source: '
                yield escape(environment.getattr(l_1_item, 'source'))
                yield '</span></li>'
            l_1_item = missing
            yield '\n    </ul>\n  </aside>'
        yield '\n</section>'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'show_table'):
        pass
        yield '\n<section class="r-chronology" aria-label="Chronology">\n  <h2>Chronology</h2>\n  <table class="r-chronology-table'
        if (not environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'show_notes')):
            pass
            yield ' r-no-notes'
        yield '">\n    <thead>\n      <tr>\n        <th scope="col" class="r-c-date">Date</th>\n        <th scope="col" class="r-c-age">Age then</th>\n        <th scope="col" class="r-c-kind">Kind</th>\n        <th scope="col" class="r-c-type">Type</th>\n        <th scope="col" class="r-c-label">Label</th>'
        if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'show_notes'):
            pass
            yield '\n        <th scope="col" class="r-c-note">Note</th>'
        if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'show_sources'):
            pass
            yield '\n        <th scope="col" class="r-c-source">Source</th>'
        yield '\n      </tr>\n    </thead>\n    <tbody>'
        t_1 = 1
        for l_1_row in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'rows'):
            _loop_vars = {}
            pass
            yield '<tr'
            if environment.getattr(l_1_row, 'planned'):
                pass
                yield ' class="r-planned"'
            yield '>\n        <td>'
            yield escape(environment.getattr(l_1_row, 'date'))
            yield '</td>\n        <td>'
            yield escape(environment.getattr(l_1_row, 'age'))
            yield '</td>\n        <td>'
            yield escape(environment.getattr(l_1_row, 'kind'))
            yield '</td>\n        <td>'
            yield escape(environment.getattr(l_1_row, 'type_name'))
            if environment.getattr(l_1_row, 'planned'):
                pass
                yield ' (planned)'
            yield '</td>\n        <td>'
            yield escape(environment.getattr(l_1_row, 'label'))
            yield '</td>'
            if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'show_notes'):
                pass
                yield '\n        <td>'
                yield escape(environment.getattr(l_1_row, 'note'))
                yield '</td>'
            if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'show_sources'):
                pass
                yield '\n        <td>'
                yield escape(environment.getattr(l_1_row, 'source'))
                yield '</td>'
            yield '\n      </tr>'
            t_1 = 0
        l_1_row = missing
        if t_1:
            pass
            yield '\n      <tr><td colspan="'
            yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'columns'))
            yield '" class="r-empty">No events recorded.</td></tr>'
        yield '\n    </tbody>\n  </table>\n</section>'
    yield '\n\n<footer class="r-screen-footer" aria-hidden="true">'
    yield escape((environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'marking') or ''))
    yield '</footer>\n</body>\n</html>\n'

blocks = {}
debug_info = '5=18&8=20&11=22&12=24&13=26&16=28&18=35&19=37&20=39&21=41&22=44&25=46&26=49&29=52&32=55&33=59&39=66&41=68&42=70&43=73&45=76&46=78&51=80&53=83&55=86&56=89&58=102&60=110&61=113&66=116&69=119&70=121&71=124&76=127&77=130&78=132&81=134&82=138&86=144&87=147&93=150&95=154&96=157&98=164&103=167&110=170&111=174&115=180&120=183&121=187&127=200&130=203&131=207&135=211&139=214&140=218&148=225&151=228&159=232&162=235&168=240&171=244&172=248&173=250&174=252&175=254&176=259&177=261&178=264&180=266&181=269&185=277&192=281'
