package dev.turbofarm.coordinator;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@link ImageDownloadContract} on the filesystem store. */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class ImageDownloadTest extends ImageDownloadContract {}
