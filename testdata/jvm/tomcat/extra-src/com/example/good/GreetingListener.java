/*
 * The good webapp's ServletContextListener (test_discovery_tomcat.py): it calls
 * Greeter.greet(String, int), which greeter 2.0 (the webapp's WEB-INF/lib) has and
 * greeter 1.0 (Tomcat's common loader) lacks. Tomcat looks in the webapp first, so
 * the context starts; the greeting in the host's log proves which copy was loaded.
 * Compiled at test time against Tomcat 10's servlet-api.jar and greeter 2.0.
 */
package com.example.good;

import com.example.greeter.Greeter;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

public class GreetingListener implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent event) {
        String twice = Greeter.greet("good webapp", 2).replace('\n', ' ').trim();
        event.getServletContext().log("greeting listener: " + twice);
    }
}
