/*
 * A webapp's ServletContextListener that fails at startup, as one missing a
 * required setting does: Tomcat logs the exception, "One or more listeners
 * failed to start" and "Context [/bad] startup failed due to previous errors".
 * Compiled at test time against Tomcat 10's servlet-api.jar (jakarta.servlet).
 */
package com.example.web;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

public class FailingListener implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent event) {
        String url = event.getServletContext().getInitParameter("shop.db.url");
        if (url == null) {
            throw new IllegalStateException("missing required setting shop.db.url",
                    new IllegalArgumentException("context parameter shop.db.url is not set"));
        }
    }
}
