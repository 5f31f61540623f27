package org.opensts.federation.saml;

import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Element;

/**
 * Checks one enveloped XML signature of a SAML Response or Assertion, with Apache Santuario's secure validation.
 *
 * <p>Design note: Santuario verifies whatever a signature references; whether that is the element we go on to read is
 * ours to make sure of, and signature wrapping attacks live in that gap. So the shape is fixed before any
 * cryptography: exactly one {@code Reference}, whose URI is {@code #} + the ID of the element that carries the
 * signature as a direct child (the caller has already refused documents with any ID twice, so Santuario's lookup by
 * ID can only find that element); transforms exactly enveloped-signature then exclusive c14n (SAML 2.0 Core 5.4.4);
 * exclusive c14n for {@code SignedInfo} (5.4.3); a short list of algorithms. The key is never taken from the
 * signature's {@code KeyInfo}: each metadata certificate's key is tried in turn.
 *
 * <p>SHA-1 (RSA-SHA1 signatures, SHA-1 digests) is accepted when the caller allows it, and AWS's verifier does:
 * AWS documents no algorithm requirement for SAML signatures and has announced no end to SHA-1, and IdPs in use today
 * still sign with it (the real responses in the project's test corpus from three IdP products are RSA-SHA1), so
 * refusing it would break federations that work with AWS. An assertion is a short-lived bearer token signed by a key
 * the account registered; the SHA-1 risk is a chosen-prefix collision, which needs the IdP to sign attacker-chosen
 * bytes at a scale no IdP permits.
 */
final class EnvelopedSignature {
    private static final Set<String> SIGNATURE_METHODS = Set.of(
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA384,
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA512,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA384,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA512);
    private static final Set<String> SHA1_SIGNATURE_METHODS = Set.of(XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1);
    private static final Set<String> DIGEST_METHODS = Set.of(
            "http://www.w3.org/2001/04/xmlenc#sha256",
            "http://www.w3.org/2001/04/xmldsig-more#sha384",
            "http://www.w3.org/2001/04/xmlenc#sha512");
    private static final String SHA1_DIGEST = "http://www.w3.org/2000/09/xmldsig#sha1";

    static {
        org.apache.xml.security.Init.init();
    }

    private EnvelopedSignature() {
    }

    /**
     * Whether {@code signature}, a direct child of {@code signed}, is an enveloped signature over exactly
     * {@code signed} that verifies with one of {@code keys}.
     */
    static boolean verifies(Element signature, Element signed, List<PublicKey> keys, boolean allowSha1) {
        String id = Dom.attribute(signed, "ID");
        if (id == null || id.isEmpty() || signature.getParentNode() != signed) {
            return false;
        }
        try {
            var xmlSignature = new XMLSignature(signature, "", /* secureValidation= */ true);
            SignedInfo signedInfo = xmlSignature.getSignedInfo();
            if (!Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS.equals(signedInfo.getCanonicalizationMethodURI())) {
                return false;
            }
            String method = signedInfo.getSignatureMethodURI();
            if (!SIGNATURE_METHODS.contains(method) && !(allowSha1 && SHA1_SIGNATURE_METHODS.contains(method))) {
                return false;
            }
            if (signedInfo.getLength() != 1) {
                return false;
            }
            Reference reference = signedInfo.item(0);
            String type = reference.getType();
            if (!("#" + id).equals(reference.getURI()) || (type != null && !type.isEmpty())) {
                return false;
            }
            String digest = reference.getMessageDigestAlgorithm().getAlgorithmURI();
            if (!DIGEST_METHODS.contains(digest) && !(allowSha1 && SHA1_DIGEST.equals(digest))) {
                return false;
            }
            if (!transformsAreEnvelopedThenExclusiveC14n(reference.getTransforms())) {
                return false;
            }
            for (PublicKey key : keys) {
                if (checks(xmlSignature, key)) {
                    return true;
                }
            }
            return false;
        } catch (XMLSecurityException | RuntimeException e) {
            // A malformed signature element, an unknown algorithm, a reference Santuario refuses to resolve.
            return false;
        }
    }

    private static boolean transformsAreEnvelopedThenExclusiveC14n(Transforms transforms)
            throws XMLSecurityException {
        if (transforms == null || transforms.getLength() < 1 || transforms.getLength() > 2) {
            return false;
        }
        if (!Transforms.TRANSFORM_ENVELOPED_SIGNATURE.equals(transforms.item(0).getURI())) {
            return false;
        }
        // Without a second transform the enveloped transform's node set is canonicalized with inclusive c14n
        // (XML-DSig 4.3.3.2); SAML 2.0 Core 5.4.4 asks for exclusive c14n, as every IdP we know writes it.
        return transforms.getLength() == 2
                && Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS.equals(transforms.item(1).getURI());
    }

    private static boolean checks(XMLSignature signature, PublicKey key) {
        try {
            return signature.checkSignatureValue(key);
        } catch (XMLSecurityException | RuntimeException e) {
            // e.g. an ECDSA signature tried with an RSA key of a metadata document holding both
            return false;
        }
    }
}
