package org.opensts.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class XmlTest {

    @Test
    void outline_ignoresWhitespaceAndNamespaces() {
        Element root = Xml.parse("<?xml version=\"1.0\"?>\n<A xmlns=\"urn:a\">\n  <B>x</B>\n  <C xmlns=\"urn:c\">"
                + "<D/></C>\n</A>");

        assertThat(Xml.outline(root)).isEqualTo("A[B=x, C[D=]]");
        assertThat(Xml.child(root, "B").getTextContent()).isEqualTo("x");
        assertThat(Xml.children(root, "C")).hasSize(1);
    }

    @Test
    void parse_documentWithDtd_isRefused() {
        assertThatThrownBy(() -> Xml.parse("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_notWellFormed_isRefused() {
        assertThatThrownBy(() -> Xml.parse("<a><b></a>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Not well-formed XML");
    }

    @Test
    void child_missingOrRepeated_isAnAssertionError() {
        Element root = Xml.parse("<a><b/><b/></a>");

        assertThatThrownBy(() -> Xml.child(root, "b")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> Xml.child(root, "c")).isInstanceOf(AssertionError.class);
    }
}
