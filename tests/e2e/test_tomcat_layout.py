"""--tomcat BASE: each webapp is its own class loader, searched before the common loader,
except for the container's own APIs (Servlet, JSP, EL, WebSocket), which Tomcat always
loads from the common loader."""
import os

from helpers import make_jar, scan


def _base(tmp_path):
    base = tmp_path / "tomcat"
    (base / "conf").mkdir(parents=True)
    (base / "conf" / "server.xml").write_text(
        '<Server port="-1"><Service name="Catalina"><Engine name="Catalina" defaultHost="h">'
        '<Host name="h" appBase="webapps"/></Engine></Service></Server>')
    (base / "logs").mkdir()
    common_api = make_jar(base / "lib" / "servlet-api.jar",
                          [("javax.servlet.Servlet", "container")],
                          pom=("javax.servlet", "javax.servlet-api", "4.0.1"))
    common_util = make_jar(base / "lib" / "acme-util-1.0.jar", [("com.acme.util.Strings", "1")],
                           pom=("com.acme", "acme-util", "1.0"))
    return base, common_api, common_util


def test_webapp_classes_win_but_the_servlet_api_comes_from_the_container(tmp_path):
    base, common_api, common_util = _base(tmp_path)
    app = base / "webapps" / "shop" / "WEB-INF" / "lib"
    own_api = make_jar(app / "servlet-api-3.1.jar", [("javax.servlet.Servlet", "webapp")],
                       pom=("javax.servlet", "javax.servlet-api", "3.1.0"))
    own_util = make_jar(app / "acme-util-2.0.jar", [("com.acme.util.Strings", "2")],
                        pom=("com.acme", "acme-util", "2.0"))
    other = base / "webapps" / "admin" / "WEB-INF" / "lib"
    make_jar(other / "acme-util-3.0.jar", [("com.acme.util.Strings", "3")],
             pom=("com.acme", "acme-util", "3.0"))
    r = scan("--tomcat", base, "--no-db", rcs=(1,), env={"CATALINA_HOME": str(base)})
    names = [v["name"] for v in r["views"]]
    assert names == ["webapp admin", "webapp shop"]
    shop = names.index("webapp shop")
    entries = r["views"][shop]["entries"]
    assert [e["origin"] for e in entries][-2:] == ["Tomcat common loader"] * 2
    by_class = {}
    for c in r["conflicts"]:
        if c["view"] == shop and c["differing"]:
            by_class[c["sample_classes"][0]] = c
    assert by_class["com.acme.util.Strings"]["winner_path"] == own_util
    assert by_class["javax.servlet.Servlet"]["winner_path"] == common_api
    # the two webapps never conflict with each other: each view is its own loader
    admin = names.index("webapp admin")
    assert all(own_util not in c["paths"] for c in r["conflicts"] if c["view"] == admin)
    # and the servlet API inside a webapp is a known trouble, named by the webapp's own jar
    hint = [h for h in r["hints"] if h["id"] == "webapp.servlet-api-in-webapp"]
    assert [h["view"] for h in hint] == [shop]
    assert hint[0]["paths"] == [own_api]


def test_the_containers_own_apis_are_never_inside_the_webapp(tmp_path):
    """Tomcat's lib/ holds the Servlet, JSP, EL and WebSocket APIs by design (a stock
    Debian tomcat10): a webapp that holds none of its own gets no "inside the web
    application" hint, however many webapps there are."""
    base, common_api, _ = _base(tmp_path)
    make_jar(base / "lib" / "jsp-api.jar", [("javax.servlet.jsp.JspPage", "container")])
    make_jar(base / "lib" / "el-api.jar", [("javax.el.ELContext", "container")])
    make_jar(base / "lib" / "websocket-api.jar", [("javax.websocket.Session", "container")])
    for app in ("ROOT", "docs", "shop"):
        make_jar(base / "webapps" / app / "WEB-INF" / "lib" / f"{app}-lib.jar",
                 [(f"com.acme.{app.lower()}.Main", "1")])
    r = scan("--tomcat", base, "--no-db", env={"CATALINA_HOME": str(base)})
    assert len(r["views"]) == 3
    assert not [h for h in r["hints"] if h["id"].startswith("webapp.")], r["hints"]
