/**
 * The client side of the {@code opensts} command: {@code opensts sts …} and {@code opensts credential-process}, which
 * find credentials, endpoint and region as the AWS CLI does ({@link org.opensts.cli.client.CredentialChain}), call STS
 * through the {@code client} module's wire client, and print what they get as the AWS CLI's JSON, {@code export} lines
 * or a credential process's Version 1 JSON.
 */
package org.opensts.cli.client;
