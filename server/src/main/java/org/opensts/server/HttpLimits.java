package org.opensts.server;

import org.opensts.gateway.Http1ServerCodec;

/**
 * What one HTTP request may weigh before the node refuses it unread: each bound keeps what a client can make the node
 * buffer or parse proportional to what a legitimate AWS client sends.
 *
 * @param maxRequestLineBytes the request line (method, target, version); longer is {@code 414 URI Too Long}. A
 *     presigned GET carries its whole query, session token included, in the target.
 * @param maxHeaderBytes      the header section, all fields together; larger is {@code 431}
 * @param maxFieldBytes       one header field's value; longer is {@code 431}
 * @param maxHeaderCount      header fields; more is {@code 431}. AWS SDKs send about ten.
 * @param maxBodyBytes        the body; larger is {@code 413 RequestEntityTooLarge}
 * @param maxParameters       Query parameters, query string and form body together; more is
 *     {@code MalformedQueryString}
 */
record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxFieldBytes, int maxHeaderCount,
        int maxBodyBytes, int maxParameters) {

    /**
     * 16 KiB for the request line and for one header, 64 KiB for all headers: the HTTP header quotas Elastic Load
     * Balancing documents for its Application Load Balancers ("Quotas for your Application Load Balancers").
     */
    static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 16 * 1024;
    static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
    static final int DEFAULT_MAX_FIELD_BYTES = 16 * 1024;
    /** As common HTTP servers bound it by default; an SDK request has about ten. */
    static final int DEFAULT_MAX_HEADER_COUNT = 100;
    /**
     * Far above the most parameters a legitimate call sends (a policy simulation with many context entries has a few
     * hundred), far below what 2 MiB of {@code a=&} would make the node hold in memory as a map.
     */
    static final int DEFAULT_MAX_PARAMETERS = 10_000;
    /**
     * Requests a connection may send ahead of their answers (HTTP/1.1 pipelining, which no AWS SDK does): the HTTP
     * codec decodes no more, and the connection is closed ({@link OneRequestAtATime}). The transport's own default.
     */
    static final int MAX_PIPELINED_REQUESTS = 128;

    HttpLimits {
        if (maxRequestLineBytes < 256 || maxHeaderBytes < 1024 || maxFieldBytes < 256 || maxHeaderCount < 8
                || maxBodyBytes < 1024 || maxParameters < 16) {
            throw new IllegalArgumentException("HTTP limits too small to carry a signed request");
        }
    }

    /** A new connection's HTTP codec, which decodes request lines and header sections within these limits. */
    Http1ServerCodec codec() {
        return new Http1ServerCodec(maxRequestLineBytes, maxHeaderBytes, MAX_PIPELINED_REQUESTS);
    }

    static HttpLimits withMaxBody(int maxBodyBytes) {
        return new HttpLimits(DEFAULT_MAX_REQUEST_LINE_BYTES, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_FIELD_BYTES,
                DEFAULT_MAX_HEADER_COUNT, maxBodyBytes, DEFAULT_MAX_PARAMETERS);
    }
}
