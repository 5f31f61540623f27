/** The {@code opensts} command: {@code serve} starts a node; more subcommands join it as they are built. */
package org.opensts.cli;
