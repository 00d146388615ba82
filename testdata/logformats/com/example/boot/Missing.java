/* Compiled with BootApp, then deleted from its classes: BootApp.repository() fails. */
package com.example.boot;

final class Missing {
}
