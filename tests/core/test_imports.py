"""Deferred imports (`core.imports`): a module is run on its first use, not when imported.

Each case runs in a fresh interpreter: the modules it defers must not be imported yet.
"""

from core_helpers import run_python


def test_a_deferred_module_runs_on_its_first_attribute_not_on_import():
    out = run_python("""
        import sys
        from core.imports import defer, is_deferred
        assert defer("xml.dom.minidom")
        import xml.dom.minidom as m1
        from xml.dom import minidom as m2
        print(is_deferred("xml.dom.minidom"), m1 is m2)
        doc = m1.parseString("<a><b/></a>")  # first use: the real module runs
        print(is_deferred("xml.dom.minidom"), doc.documentElement.tagName, m2.parseString("<c/>").documentElement.tagName)
        print(sys.modules["xml.dom.minidom"].parseString is m1.parseString)
    """)
    assert out.splitlines() == ["True True", "False a c", "True"]


def test_defer_leaves_imported_and_missing_modules_alone():
    out = run_python("""
        import json, sys
        from core.imports import defer
        print(defer("json"), sys.modules["json"] is json, defer("no_such_package.sub"), defer("no_such_module"))
    """)
    assert out == "False True False False"


def test_gx_validates_without_importing_the_statistics_no_rule_uses():
    out = run_python("""
        import sys
        import pandas as pd
        from checks.gx_engine import GX_UNUSED_IMPORTS, import_gx
        from core.imports import is_deferred
        gx = import_gx()
        context = gx.get_context(mode="ephemeral")
        batch = (context.data_sources.add_pandas("p").add_dataframe_asset("a")
                 .add_batch_definition_whole_dataframe("b").get_batch(batch_parameters={"dataframe": pd.DataFrame({"x": [1, None]})}))
        result = batch.validate(gx.expectations.ExpectColumnValuesToNotBeNull(column="x"))
        print(result.success, result.result["unexpected_count"], [is_deferred(m) for m in GX_UNUSED_IMPORTS])
        from scipy import stats  # a use of its own still gets the whole module
        print(round(float(stats.entropy([0.5, 0.5], [0.9, 0.1])), 4), [is_deferred(m) for m in GX_UNUSED_IMPORTS])
    """)
    assert out.splitlines() == ["False 1 [True, True]", "0.5108 [False, True]"]


def test_a_module_imported_meanwhile_is_there_when_the_thread_ends_and_a_broken_one_raises_where_used():
    out = run_python("""
        import sys
        from core.imports import import_meanwhile
        print("xml.dom.minidom" in sys.modules)
        import_meanwhile("xml.dom.minidom").join()
        print("xml.dom.minidom" in sys.modules)
        import_meanwhile("no_such_module").join()  # quietly: the import where it is used says why
        try:
            import no_such_module
        except ModuleNotFoundError as exc:
            print(exc.name)
    """)
    assert out.splitlines() == ["False", "True", "no_such_module"]


def test_a_fork_waits_for_the_imports_under_way():
    """A child forked mid-import would wait forever for that module's lock: `core.parallel`
    joins the import threads first."""
    out = run_python("""
        import importlib.abc, sys, time
        from core.imports import import_meanwhile
        from core.parallel import in_background

        class Slow(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name == "xml.dom.minidom":
                    time.sleep(0.5)  # an import that takes its time
                return None

        sys.meta_path.insert(0, Slow())
        import_meanwhile("xml.dom.minidom")
        child = in_background(lambda: __import__("xml.dom.minidom"))
        print("xml.dom.minidom" in sys.modules, child.wait())
    """, timeout=30)  # (a child that waits forever: the test fails by this timeout)
    assert out == "True True"
