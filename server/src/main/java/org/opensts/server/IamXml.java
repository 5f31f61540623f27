package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;
import org.opensts.iam.Group;
import org.opensts.iam.Page;
import org.opensts.iam.Tag;
import org.opensts.iam.User;

/**
 * The XML of IAM's shared shapes (IAM API Reference, "Data Types"), written in model member order, so every action
 * renders a {@code User}, a tag list or a page the same way.
 */
final class IamXml {
    private IamXml() {
    }

    /**
     * A {@code User}. List operations return the short form: IAM leaves the permissions boundary and tags out of the
     * users it lists.
     */
    static void user(ResultWriter xml, String element, User user, boolean full) {
        xml.start(element)
                .element("Path", user.path())
                .element("UserName", user.userName())
                .element("UserId", user.userId())
                .element("Arn", user.arn())
                .element("CreateDate", user.createDate());
        if (full) {
            user.permissionsBoundaryArn().ifPresent(arn -> permissionsBoundary(xml, arn));
            tags(xml, user.tags());
        }
        xml.end();
    }

    /**
     * {@code <PermissionsBoundary>}: always a managed policy. Its type is {@code Policy}, as AWS's real responses write
     * it, not the model's enum value {@code PermissionsBoundaryPolicy}.
     */
    static void permissionsBoundary(ResultWriter xml, String policyArn) {
        xml.start("PermissionsBoundary")
                .element("PermissionsBoundaryType", "Policy")
                .element("PermissionsBoundaryArn", policyArn)
                .end();
    }

    /** {@code <Tags><member><Key/><Value/></member>…</Tags>}, left out when there are none. */
    static void tags(ResultWriter xml, List<Tag> tags) {
        if (!tags.isEmpty()) {
            tagList(xml, tags);
        }
    }

    /**
     * {@code <Tags>…</Tags>}, there even when empty: GetPolicy, GetOpenIDConnectProvider and GetSAMLProvider answer so
     * in AWS's real responses.
     */
    static void tagList(ResultWriter xml, List<Tag> tags) {
        xml.startList("Tags");
        for (Tag tag : tags) {
            xml.start("member").element("Key", tag.key()).element("Value", tag.value()).end();
        }
        xml.end();
    }

    /** A {@code Group}. */
    static void group(ResultWriter xml, String element, Group group) {
        xml.start(element)
                .element("Path", group.path())
                .element("GroupName", group.groupName())
                .element("GroupId", group.groupId())
                .element("Arn", group.arn())
                .element("CreateDate", group.createDate())
                .end();
    }

    /** {@code <PolicyNames>} of a page of inline policy names, then the page's {@code <IsTruncated>} and marker. */
    static void policyNames(ResultWriter xml, Page<String> page) {
        xml.startList("PolicyNames");
        page.items().forEach(name -> xml.element("member", name));
        xml.end();
        pagination(xml, page);
    }

    /** {@code <IsTruncated>} and, when truncated, {@code <Marker>}; call after the page's list. */
    static void pagination(ResultWriter xml, Page<?> page) {
        xml.element("IsTruncated", page.isTruncated());
        page.marker().ifPresent(marker -> xml.element("Marker", marker));
    }

    /**
     * IAM returns policy documents URL-encoded (RFC 3986: everything but {@code A-Z a-z 0-9 - _ . ~} as {@code %XX} of
     * its UTF-8 bytes); botocore decodes them, the Java and JavaScript SDKs leave that to the caller (IAM API
     * Reference, "GetRolePolicy").
     */
    static String urlEncode(String document) {
        var out = new StringBuilder(document.length() * 2);
        for (byte b : document.getBytes(UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
