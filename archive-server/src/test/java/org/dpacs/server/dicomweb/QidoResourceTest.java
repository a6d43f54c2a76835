package org.dpacs.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.json.BulkDataUriResolver;
import org.dpacs.dicom.json.DicomJsonReader;
import org.dpacs.server.app.Config;
import org.dpacs.server.app.Services;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.error.HttpErrorMapper;
import org.dpacs.server.index.IndexedInstance;
import org.dpacs.server.index.StudyIndex;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QIDO-RS over HTTP, against Jersey on Grizzly in-process with an index of four instances in two studies. */
class QidoResourceTest {
    @TempDir
    static Path dir;
    private static StudyIndex index;
    private static HttpServer server;
    private static String root;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).build(); // no h2c upgrade: Grizzly answers it oddly

    @BeforeAll
    static void start() throws IOException {
        index = StudyIndex.open(dir);
        List<IndexedInstance> batch = new ArrayList<>();
        batch.add(instance(1, "1.1", "1.1.1", "1.1.1.1", "CT", "Doe^John", "20200115", 1));
        batch.add(instance(2, "1.1", "1.1.1", "1.1.1.2", "CT", "Doe^John", "20200115", 2));
        batch.add(instance(3, "1.1", "1.1.2", "1.1.2.1", "MR", "Doe^John", "20200115", 1));
        batch.add(instance(4, "1.2", "1.2.1", "1.2.1.1", "CT", "Smith^Anna", "20210301", 1));
        index.add(batch);
        Services services = new Services(Config.defaults(), null, null, index, null);
        ResourceConfig rc = new ResourceConfig().register(new QidoResource(services)).register(HttpErrorMapper.class);
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), rc);
        root = "http://127.0.0.1:" + server.getListener("grizzly").getPort() + "/dicomweb";
    }

    @AfterAll
    static void stop() throws IOException {
        server.shutdownNow();
        index.close();
    }

    private static IndexedInstance instance(long seq, String study, String series, String sop, String modality,
                                            String name, String date, int number) {
        Attributes header = new Attributes.Builder()
                .setString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.2")
                .setString(Tag.SOPInstanceUID, Vr.UI, sop)
                .setString(Tag.StudyDate, Vr.DA, date)
                .setString(Tag.Modality, Vr.CS, modality)
                .setString(0x00081030, Vr.LO, "Study " + study)
                .setString(Tag.PatientName, Vr.PN, name)
                .setString(Tag.StudyInstanceUID, Vr.UI, study)
                .setString(Tag.SeriesInstanceUID, Vr.UI, series)
                .setString(0x00200013, Vr.IS, Integer.toString(number))
                .build();
        return new IndexedInstance(new InstanceRecord(seq, study, series, sop, "1.2.840.10008.5.1.4.1.1.2",
                "1.2.840.10008.1.2.1", "k/" + sop, 100, "sha", Instant.EPOCH), header);
    }

    private static HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static List<Attributes> json(HttpResponse<String> r) throws IOException {
        return DicomJsonReader.readArray(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)),
                BulkDataUriResolver.REJECT);
    }

    @Test
    void searchForStudiesAnswersDicomJsonWithRetrieveUrls() throws Exception {
        HttpResponse<String> r = get("/studies", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/dicom+json");
        List<Attributes> studies = json(r);
        assertThat(studies).extracting(a -> a.string(Tag.StudyInstanceUID, "")).containsExactly("1.2", "1.1");
        assertThat(studies.get(1).string(0x00081190, "")).isEqualTo(root + "/studies/1.1");
        assertThat(studies.get(1).strings(0x00080061)).containsExactly("CT", "MR");
        assertThat(r.headers().firstValue("Warning")).isEmpty();
    }

    @Test
    void plainJsonAndAnyTypeAreServedTheSameArray() throws Exception {
        HttpResponse<String> r = get("/studies?PatientName=smith*", "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(r)).hasSize(1);
        assertThat(get("/studies?PatientName=smith*", "*/*").headers().firstValue("Content-Type"))
                .hasValue("application/dicom+json");
    }

    @Test
    void multipartXmlHasOneNativeModelPartPerResult() throws Exception {
        HttpResponse<String> r = get("/studies/1.1/series", "multipart/related; type=\"application/dicom+xml\"");
        assertThat(r.statusCode()).isEqualTo(200);
        String type = r.headers().firstValue("Content-Type").orElseThrow();
        // Jersey re-orders the parameters; their order carries no meaning (RFC 7231 3.1.1.1).
        assertThat(type).startsWith("multipart/related;").contains("type=\"application/dicom+xml\"");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("boundary=([^;]+)").matcher(type);
        assertThat(m.find()).isTrue();
        String boundary = m.group(1);
        assertThat(r.body().split("--" + boundary + "\r\n", -1)).hasSize(3);
        assertThat(r.body()).contains("Content-Type: application/dicom+xml").contains("<NativeDicomModel")
                .contains("1.1.2").endsWith("--" + boundary + "--\r\n");
    }

    @Test
    void anUnservableAcceptIsNotAcceptable() throws Exception {
        assertThat(get("/studies", "image/png").statusCode()).isEqualTo(406);
    }

    @Test
    void noMatchIsNoContent() throws Exception {
        HttpResponse<String> r = get("/studies?PatientID=nobody", null);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void truncatedResultsCarryTheWarning() throws Exception {
        HttpResponse<String> r = get("/studies?limit=1", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).hasSize(1);
        assertThat(r.headers().firstValue("Warning")).hasValue("299 " + URI.create(root).getRawAuthority()
                + ": \"The number of results exceeded the maximum supported by the server. Additional results can be"
                + " requested.\"");
    }

    @Test
    void badParametersAreBadRequestsNamingThem() throws Exception {
        HttpResponse<String> r = get("/studies?patientname=x", null);
        assertThat(r.statusCode()).as("PS3.18 8.3: unsupported parameters are ignored").isIn(200, 204);
        assertThat(r.headers().allValues("Warning")).anySatisfy(w -> assertThat(w)
                .contains("'patientname' (did you mean 'PatientName'?)").contains("ignored"));
        assertThat(get("/studies?StudyDate=2020-13-01", null).body()).contains("StudyDate=2020-13-01");
        assertThat(get("/studies/1.2.x/series", null).statusCode()).isEqualTo(400);
    }

    @Test
    void instancesOfASeriesHaveInstanceRetrieveUrls() throws Exception {
        List<Attributes> r = json(get("/studies/1.1/series/1.1.1/instances", null));
        assertThat(r).extracting(a -> a.string(Tag.SOPInstanceUID, "")).containsExactly("1.1.1.1", "1.1.1.2");
        assertThat(r.get(0).string(0x00081190, "")).isEqualTo(root + "/studies/1.1/series/1.1.1/instances/1.1.1.1");
        assertThat(json(get("/instances?PatientName=Smith%5EAnna", null))).hasSize(1);
        assertThat(json(get("/studies/1.1/instances?Modality=MR", null))).hasSize(1);
        List<Attributes> series = json(get("/series?Modality=CT", null));
        assertThat(series).extracting(a -> a.string(0x00081190, ""))
                .containsExactly(root + "/studies/1.2/series/1.2.1", root + "/studies/1.1/series/1.1.1");
    }

    @Test
    void theAcceptQueryParameterOverridesTheHeader() throws Exception {
        HttpResponse<String> r = get("/studies?accept=application/json", "image/png");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }
}
